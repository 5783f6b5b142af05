
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'kubectl-ds' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'kubectl-ds'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'kubectl-ds' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the DaemonSet(s) [default: the kubeconfig context''s namespace, else "default"; the same with -f, where the kubeconfig is only read for this]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the DaemonSet(s) [default: the kubeconfig context''s namespace, else "default"; the same with -f, where the kubeconfig is only read for this]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file [default: $KUBECONFIG, else ~/.kube/config]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read cluster state from a file or directory of `kubectl get -o json|yaml` output ("-" for stdin)')
            [CompletionResult]::new('--from-file', '--from-file', [CompletionResultType]::ParameterName, 'Read cluster state from a file or directory of `kubectl get -o json|yaml` output ("-" for stdin)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output (NO_COLOR in the environment also turns it off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for each API request, a Go duration as kubectl takes it: 10s, 1m30s, 500ms (a bare number is seconds; 0 means no timeout)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The longest a run against a cluster may take in all (connecting, every request, retries), so it never hangs a shell or a CI job; a duration as --request-timeout takes, 0 for no limit [default: 5m, or --request-timeout when that is longer]')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate for the operation')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate for the operation (repeatable)')
            [CompletionResult]::new('--as-uid', '--as-uid', [CompletionResultType]::ParameterName, 'UID to impersonate for the operation')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'The address and port of the Kubernetes API server')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The address and port of the Kubernetes API server')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token for authentication to the API server')
            [CompletionResult]::new('--certificate-authority', '--certificate-authority', [CompletionResultType]::ParameterName, 'Path to a cert file for the certificate authority')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Server name to use for server certificate validation [default: the server URL''s host]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s -v: 4 shows what is fetched and why, 6 every request (method, URL, status, time, size), 8 the client''s own debug logs')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s -v: 4 shows what is fetched and why, 6 every request (method, URL, status, time, size), 8 the client''s own debug logs')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Do not print headers (nor the summary line)')
            [CompletionResult]::new('--exit-code', '--exit-code', [CompletionResultType]::ParameterName, 'Exit with status 3 when an eligible node lacks a Running pod (plan: when one would be Unschedulable or Refused)')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the server''s certificate for validity (makes the connection insecure)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('why', 'why', [CompletionResultType]::ParameterValue, 'Show, node by node, whether a DaemonSet''s pod is there and healthy, and why not')
            [CompletionResult]::new('coverage', 'coverage', [CompletionResultType]::ParameterValue, 'Show every DaemonSet against every node: counts, coverage and the top reason for gaps')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show, node by node, what applying a DaemonSet manifest would do: scheduled, pending, refused by admission, or not eligible, and what changes when the DaemonSet exists')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, zsh, fish, powershell)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-ds;why' {
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only show nodes with these statuses (comma-separated, e.g. Missing,Failing)')
            [CompletionResult]::new('--node', '--node', [CompletionResultType]::ParameterName, 'One node in depth: every check the controller and the scheduler make there, with its evidence')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the DaemonSet(s) [default: the kubeconfig context''s namespace, else "default"; the same with -f, where the kubeconfig is only read for this]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the DaemonSet(s) [default: the kubeconfig context''s namespace, else "default"; the same with -f, where the kubeconfig is only read for this]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file [default: $KUBECONFIG, else ~/.kube/config]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read cluster state from a file or directory of `kubectl get -o json|yaml` output ("-" for stdin)')
            [CompletionResult]::new('--from-file', '--from-file', [CompletionResultType]::ParameterName, 'Read cluster state from a file or directory of `kubectl get -o json|yaml` output ("-" for stdin)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output (NO_COLOR in the environment also turns it off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for each API request, a Go duration as kubectl takes it: 10s, 1m30s, 500ms (a bare number is seconds; 0 means no timeout)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The longest a run against a cluster may take in all (connecting, every request, retries), so it never hangs a shell or a CI job; a duration as --request-timeout takes, 0 for no limit [default: 5m, or --request-timeout when that is longer]')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate for the operation')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate for the operation (repeatable)')
            [CompletionResult]::new('--as-uid', '--as-uid', [CompletionResultType]::ParameterName, 'UID to impersonate for the operation')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'The address and port of the Kubernetes API server')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The address and port of the Kubernetes API server')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token for authentication to the API server')
            [CompletionResult]::new('--certificate-authority', '--certificate-authority', [CompletionResultType]::ParameterName, 'Path to a cert file for the certificate authority')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Server name to use for server certificate validation [default: the server URL''s host]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s -v: 4 shows what is fetched and why, 6 every request (method, URL, status, time, size), 8 the client''s own debug logs')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s -v: 4 shows what is fetched and why, 6 every request (method, URL, status, time, size), 8 the client''s own debug logs')
            [CompletionResult]::new('--show-all', '--show-all', [CompletionResultType]::ParameterName, 'List every node, even on large clusters (by default healthy and ineligible nodes are grouped)')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Under each node, the kubectl commands that confirm the finding and the smallest fix (YAML to paste)')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'After the first answer, follow the cluster (WATCH) and print a line for each node whose verdict changes')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'After the first answer, follow the cluster (WATCH) and print a line for each node whose verdict changes')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Do not print headers (nor the summary line)')
            [CompletionResult]::new('--exit-code', '--exit-code', [CompletionResultType]::ParameterName, 'Exit with status 3 when an eligible node lacks a Running pod (plan: when one would be Unschedulable or Refused)')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the server''s certificate for validity (makes the connection insecure)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-ds;coverage' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Only DaemonSets matching this label selector (e.g. app.kubernetes.io/part-of=monitoring)')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Only DaemonSets matching this label selector (e.g. app.kubernetes.io/part-of=monitoring)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the DaemonSet(s) [default: the kubeconfig context''s namespace, else "default"; the same with -f, where the kubeconfig is only read for this]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the DaemonSet(s) [default: the kubeconfig context''s namespace, else "default"; the same with -f, where the kubeconfig is only read for this]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file [default: $KUBECONFIG, else ~/.kube/config]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read cluster state from a file or directory of `kubectl get -o json|yaml` output ("-" for stdin)')
            [CompletionResult]::new('--from-file', '--from-file', [CompletionResultType]::ParameterName, 'Read cluster state from a file or directory of `kubectl get -o json|yaml` output ("-" for stdin)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output (NO_COLOR in the environment also turns it off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for each API request, a Go duration as kubectl takes it: 10s, 1m30s, 500ms (a bare number is seconds; 0 means no timeout)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The longest a run against a cluster may take in all (connecting, every request, retries), so it never hangs a shell or a CI job; a duration as --request-timeout takes, 0 for no limit [default: 5m, or --request-timeout when that is longer]')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate for the operation')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate for the operation (repeatable)')
            [CompletionResult]::new('--as-uid', '--as-uid', [CompletionResultType]::ParameterName, 'UID to impersonate for the operation')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'The address and port of the Kubernetes API server')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The address and port of the Kubernetes API server')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token for authentication to the API server')
            [CompletionResult]::new('--certificate-authority', '--certificate-authority', [CompletionResultType]::ParameterName, 'Path to a cert file for the certificate authority')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Server name to use for server certificate validation [default: the server URL''s host]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s -v: 4 shows what is fetched and why, 6 every request (method, URL, status, time, size), 8 the client''s own debug logs')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s -v: 4 shows what is fetched and why, 6 every request (method, URL, status, time, size), 8 the client''s own debug logs')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Show DaemonSets of all namespaces')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Show DaemonSets of all namespaces')
            [CompletionResult]::new('--nodes', '--nodes', [CompletionResultType]::ParameterName, 'Show the grid: one row per node, one column per DaemonSet')
            [CompletionResult]::new('--expand', '--expand', [CompletionResultType]::ParameterName, 'In the grid, list every node instead of collapsing identical rows')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'After the first answer, follow the cluster (WATCH) and print a row for each DaemonSet that changes')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'After the first answer, follow the cluster (WATCH) and print a row for each DaemonSet that changes')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Do not print headers (nor the summary line)')
            [CompletionResult]::new('--exit-code', '--exit-code', [CompletionResultType]::ParameterName, 'Exit with status 3 when an eligible node lacks a Running pod (plan: when one would be Unschedulable or Refused)')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the server''s certificate for validity (makes the connection insecure)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-ds;plan' {
            [CompletionResult]::new('--node', '--node', [CompletionResultType]::ParameterName, 'One node in depth: every check the controller, the scheduler and admission make there for the manifest''s DaemonSet, then the plan''s status and change (the manifest must hold one DaemonSet)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the DaemonSet(s) [default: the kubeconfig context''s namespace, else "default"; the same with -f, where the kubeconfig is only read for this]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the DaemonSet(s) [default: the kubeconfig context''s namespace, else "default"; the same with -f, where the kubeconfig is only read for this]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file [default: $KUBECONFIG, else ~/.kube/config]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read cluster state from a file or directory of `kubectl get -o json|yaml` output ("-" for stdin)')
            [CompletionResult]::new('--from-file', '--from-file', [CompletionResultType]::ParameterName, 'Read cluster state from a file or directory of `kubectl get -o json|yaml` output ("-" for stdin)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output (NO_COLOR in the environment also turns it off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for each API request, a Go duration as kubectl takes it: 10s, 1m30s, 500ms (a bare number is seconds; 0 means no timeout)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The longest a run against a cluster may take in all (connecting, every request, retries), so it never hangs a shell or a CI job; a duration as --request-timeout takes, 0 for no limit [default: 5m, or --request-timeout when that is longer]')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate for the operation')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate for the operation (repeatable)')
            [CompletionResult]::new('--as-uid', '--as-uid', [CompletionResultType]::ParameterName, 'UID to impersonate for the operation')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'The address and port of the Kubernetes API server')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The address and port of the Kubernetes API server')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token for authentication to the API server')
            [CompletionResult]::new('--certificate-authority', '--certificate-authority', [CompletionResultType]::ParameterName, 'Path to a cert file for the certificate authority')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Server name to use for server certificate validation [default: the server URL''s host]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s -v: 4 shows what is fetched and why, 6 every request (method, URL, status, time, size), 8 the client''s own debug logs')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s -v: 4 shows what is fetched and why, 6 every request (method, URL, status, time, size), 8 the client''s own debug logs')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Do not print headers (nor the summary line)')
            [CompletionResult]::new('--exit-code', '--exit-code', [CompletionResultType]::ParameterName, 'Exit with status 3 when an eligible node lacks a Running pod (plan: when one would be Unschedulable or Refused)')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the server''s certificate for validity (makes the connection insecure)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-ds;completion' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the DaemonSet(s) [default: the kubeconfig context''s namespace, else "default"; the same with -f, where the kubeconfig is only read for this]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the DaemonSet(s) [default: the kubeconfig context''s namespace, else "default"; the same with -f, where the kubeconfig is only read for this]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file [default: $KUBECONFIG, else ~/.kube/config]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read cluster state from a file or directory of `kubectl get -o json|yaml` output ("-" for stdin)')
            [CompletionResult]::new('--from-file', '--from-file', [CompletionResultType]::ParameterName, 'Read cluster state from a file or directory of `kubectl get -o json|yaml` output ("-" for stdin)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output (NO_COLOR in the environment also turns it off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for each API request, a Go duration as kubectl takes it: 10s, 1m30s, 500ms (a bare number is seconds; 0 means no timeout)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The longest a run against a cluster may take in all (connecting, every request, retries), so it never hangs a shell or a CI job; a duration as --request-timeout takes, 0 for no limit [default: 5m, or --request-timeout when that is longer]')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate for the operation')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate for the operation (repeatable)')
            [CompletionResult]::new('--as-uid', '--as-uid', [CompletionResultType]::ParameterName, 'UID to impersonate for the operation')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'The address and port of the Kubernetes API server')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The address and port of the Kubernetes API server')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token for authentication to the API server')
            [CompletionResult]::new('--certificate-authority', '--certificate-authority', [CompletionResultType]::ParameterName, 'Path to a cert file for the certificate authority')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Server name to use for server certificate validation [default: the server URL''s host]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s -v: 4 shows what is fetched and why, 6 every request (method, URL, status, time, size), 8 the client''s own debug logs')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s -v: 4 shows what is fetched and why, 6 every request (method, URL, status, time, size), 8 the client''s own debug logs')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Do not print headers (nor the summary line)')
            [CompletionResult]::new('--exit-code', '--exit-code', [CompletionResultType]::ParameterName, 'Exit with status 3 when an eligible node lacks a Running pod (plan: when one would be Unschedulable or Refused)')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the server''s certificate for validity (makes the connection insecure)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-ds;help' {
            [CompletionResult]::new('why', 'why', [CompletionResultType]::ParameterValue, 'Show, node by node, whether a DaemonSet''s pod is there and healthy, and why not')
            [CompletionResult]::new('coverage', 'coverage', [CompletionResultType]::ParameterValue, 'Show every DaemonSet against every node: counts, coverage and the top reason for gaps')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show, node by node, what applying a DaemonSet manifest would do: scheduled, pending, refused by admission, or not eligible, and what changes when the DaemonSet exists')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, zsh, fish, powershell)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-ds;help;why' {
            break
        }
        'kubectl-ds;help;coverage' {
            break
        }
        'kubectl-ds;help;plan' {
            break
        }
        'kubectl-ds;help;completion' {
            break
        }
        'kubectl-ds;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
