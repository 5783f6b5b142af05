# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_kubectl_ds_global_optspecs
    string join \n n/namespace= context= kubeconfig= f/from-file= o/output= color= no-headers exit-code request-timeout= timeout= as= as-group= as-uid= cluster= user= s/server= token= certificate-authority= insecure-skip-tls-verify tls-server-name= v/v= h/help V/version
end

function __fish_kubectl_ds_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_kubectl_ds_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_kubectl_ds_using_subcommand
    set -l cmd (__fish_kubectl_ds_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -s n -l namespace -d 'Namespace of the DaemonSet(s) [default: the kubeconfig context\'s namespace, else "default"; the same with -f, where the kubeconfig is only read for this]' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l context -d 'The kubeconfig context to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l kubeconfig -d 'Path to the kubeconfig file [default: $KUBECONFIG, else ~/.kube/config]' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -s f -l from-file -d 'Read cluster state from a file or directory of `kubectl get -o json|yaml` output ("-" for stdin)' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -s o -l output -d 'Output format' -r -f -a "table\t'Columns as kubectl get prints them; "No resources found in NS namespace." on stderr when nothing matches'
wide\t'The table with more columns'
json\t'A versioned document (apiVersion ds.kubectl.dev/v1alpha1, kind DaemonSetReport or CoverageReport)'
yaml\t'The JSON document as YAML'
name\t'One line per table row, as kubectl\'s -o name: node/NAME for why, daemonset.apps/NAME for coverage'"
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l color -d 'When to colour the output (NO_COLOR in the environment also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l request-timeout -d 'How long to wait for each API request, a Go duration as kubectl takes it: 10s, 1m30s, 500ms (a bare number is seconds; 0 means no timeout)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l timeout -d 'The longest a run against a cluster may take in all (connecting, every request, retries), so it never hangs a shell or a CI job; a duration as --request-timeout takes, 0 for no limit [default: 5m, or --request-timeout when that is longer]' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l as -d 'Username to impersonate for the operation' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l tls-server-name -d 'Server name to use for server certificate validation [default: the server URL\'s host]' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -s v -l v -d 'Log level on stderr, as kubectl\'s -v: 4 shows what is fetched and why, 6 every request (method, URL, status, time, size), 8 the client\'s own debug logs' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l no-headers -d 'Do not print headers (nor the summary line)'
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l exit-code -d 'Exit with status 3 when an eligible node lacks a Running pod (plan: when one would be Unschedulable or Refused)'
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l insecure-skip-tls-verify -d 'Do not check the server\'s certificate for validity (makes the connection insecure)'
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -s V -l version -d 'Print version'
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -f -a "why" -d 'Show, node by node, whether a DaemonSet\'s pod is there and healthy, and why not'
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -f -a "coverage" -d 'Show every DaemonSet against every node: counts, coverage and the top reason for gaps'
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -f -a "plan" -d 'Show, node by node, what applying a DaemonSet manifest would do: scheduled, pending, refused by admission, or not eligible, and what changes when the DaemonSet exists'
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -f -a "completion" -d 'Print a shell completion script (bash, zsh, fish, powershell)'
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why" -l status -d 'Only show nodes with these statuses (comma-separated, e.g. Missing,Failing)' -r -f -a "Running\t''
Starting\t''
Pending\t''
Failing\t''
Missing\t''
Ineligible\t''
Misscheduled\t''"
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why" -l node -d 'One node in depth: every check the controller and the scheduler make there, with its evidence' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why" -s n -l namespace -d 'Namespace of the DaemonSet(s) [default: the kubeconfig context\'s namespace, else "default"; the same with -f, where the kubeconfig is only read for this]' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why" -l context -d 'The kubeconfig context to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why" -l kubeconfig -d 'Path to the kubeconfig file [default: $KUBECONFIG, else ~/.kube/config]' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why" -s f -l from-file -d 'Read cluster state from a file or directory of `kubectl get -o json|yaml` output ("-" for stdin)' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why" -s o -l output -d 'Output format' -r -f -a "table\t'Columns as kubectl get prints them; "No resources found in NS namespace." on stderr when nothing matches'
wide\t'The table with more columns'
json\t'A versioned document (apiVersion ds.kubectl.dev/v1alpha1, kind DaemonSetReport or CoverageReport)'
yaml\t'The JSON document as YAML'
name\t'One line per table row, as kubectl\'s -o name: node/NAME for why, daemonset.apps/NAME for coverage'"
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why" -l color -d 'When to colour the output (NO_COLOR in the environment also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why" -l request-timeout -d 'How long to wait for each API request, a Go duration as kubectl takes it: 10s, 1m30s, 500ms (a bare number is seconds; 0 means no timeout)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why" -l timeout -d 'The longest a run against a cluster may take in all (connecting, every request, retries), so it never hangs a shell or a CI job; a duration as --request-timeout takes, 0 for no limit [default: 5m, or --request-timeout when that is longer]' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why" -l as -d 'Username to impersonate for the operation' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why" -l tls-server-name -d 'Server name to use for server certificate validation [default: the server URL\'s host]' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why" -s v -l v -d 'Log level on stderr, as kubectl\'s -v: 4 shows what is fetched and why, 6 every request (method, URL, status, time, size), 8 the client\'s own debug logs' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why" -l show-all -d 'List every node, even on large clusters (by default healthy and ineligible nodes are grouped)'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why" -l explain -d 'Under each node, the kubectl commands that confirm the finding and the smallest fix (YAML to paste)'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why" -s w -l watch -d 'After the first answer, follow the cluster (WATCH) and print a line for each node whose verdict changes'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why" -l no-headers -d 'Do not print headers (nor the summary line)'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why" -l exit-code -d 'Exit with status 3 when an eligible node lacks a Running pod (plan: when one would be Unschedulable or Refused)'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why" -l insecure-skip-tls-verify -d 'Do not check the server\'s certificate for validity (makes the connection insecure)'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why" -s V -l version -d 'Print version'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand coverage" -s l -l selector -d 'Only DaemonSets matching this label selector (e.g. app.kubernetes.io/part-of=monitoring)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand coverage" -s n -l namespace -d 'Namespace of the DaemonSet(s) [default: the kubeconfig context\'s namespace, else "default"; the same with -f, where the kubeconfig is only read for this]' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand coverage" -l context -d 'The kubeconfig context to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand coverage" -l kubeconfig -d 'Path to the kubeconfig file [default: $KUBECONFIG, else ~/.kube/config]' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand coverage" -s f -l from-file -d 'Read cluster state from a file or directory of `kubectl get -o json|yaml` output ("-" for stdin)' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand coverage" -s o -l output -d 'Output format' -r -f -a "table\t'Columns as kubectl get prints them; "No resources found in NS namespace." on stderr when nothing matches'
wide\t'The table with more columns'
json\t'A versioned document (apiVersion ds.kubectl.dev/v1alpha1, kind DaemonSetReport or CoverageReport)'
yaml\t'The JSON document as YAML'
name\t'One line per table row, as kubectl\'s -o name: node/NAME for why, daemonset.apps/NAME for coverage'"
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand coverage" -l color -d 'When to colour the output (NO_COLOR in the environment also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand coverage" -l request-timeout -d 'How long to wait for each API request, a Go duration as kubectl takes it: 10s, 1m30s, 500ms (a bare number is seconds; 0 means no timeout)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand coverage" -l timeout -d 'The longest a run against a cluster may take in all (connecting, every request, retries), so it never hangs a shell or a CI job; a duration as --request-timeout takes, 0 for no limit [default: 5m, or --request-timeout when that is longer]' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand coverage" -l as -d 'Username to impersonate for the operation' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand coverage" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand coverage" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand coverage" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand coverage" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand coverage" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand coverage" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand coverage" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand coverage" -l tls-server-name -d 'Server name to use for server certificate validation [default: the server URL\'s host]' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand coverage" -s v -l v -d 'Log level on stderr, as kubectl\'s -v: 4 shows what is fetched and why, 6 every request (method, URL, status, time, size), 8 the client\'s own debug logs' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand coverage" -s A -l all-namespaces -d 'Show DaemonSets of all namespaces'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand coverage" -l nodes -d 'Show the grid: one row per node, one column per DaemonSet'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand coverage" -l expand -d 'In the grid, list every node instead of collapsing identical rows'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand coverage" -s w -l watch -d 'After the first answer, follow the cluster (WATCH) and print a row for each DaemonSet that changes'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand coverage" -l no-headers -d 'Do not print headers (nor the summary line)'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand coverage" -l exit-code -d 'Exit with status 3 when an eligible node lacks a Running pod (plan: when one would be Unschedulable or Refused)'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand coverage" -l insecure-skip-tls-verify -d 'Do not check the server\'s certificate for validity (makes the connection insecure)'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand coverage" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand coverage" -s V -l version -d 'Print version'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand plan" -l node -d 'One node in depth: every check the controller, the scheduler and admission make there for the manifest\'s DaemonSet, then the plan\'s status and change (the manifest must hold one DaemonSet)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand plan" -s n -l namespace -d 'Namespace of the DaemonSet(s) [default: the kubeconfig context\'s namespace, else "default"; the same with -f, where the kubeconfig is only read for this]' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand plan" -l context -d 'The kubeconfig context to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand plan" -l kubeconfig -d 'Path to the kubeconfig file [default: $KUBECONFIG, else ~/.kube/config]' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand plan" -s f -l from-file -d 'Read cluster state from a file or directory of `kubectl get -o json|yaml` output ("-" for stdin)' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand plan" -s o -l output -d 'Output format' -r -f -a "table\t'Columns as kubectl get prints them; "No resources found in NS namespace." on stderr when nothing matches'
wide\t'The table with more columns'
json\t'A versioned document (apiVersion ds.kubectl.dev/v1alpha1, kind DaemonSetReport or CoverageReport)'
yaml\t'The JSON document as YAML'
name\t'One line per table row, as kubectl\'s -o name: node/NAME for why, daemonset.apps/NAME for coverage'"
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand plan" -l color -d 'When to colour the output (NO_COLOR in the environment also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand plan" -l request-timeout -d 'How long to wait for each API request, a Go duration as kubectl takes it: 10s, 1m30s, 500ms (a bare number is seconds; 0 means no timeout)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand plan" -l timeout -d 'The longest a run against a cluster may take in all (connecting, every request, retries), so it never hangs a shell or a CI job; a duration as --request-timeout takes, 0 for no limit [default: 5m, or --request-timeout when that is longer]' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand plan" -l as -d 'Username to impersonate for the operation' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand plan" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand plan" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand plan" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand plan" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand plan" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand plan" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand plan" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand plan" -l tls-server-name -d 'Server name to use for server certificate validation [default: the server URL\'s host]' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand plan" -s v -l v -d 'Log level on stderr, as kubectl\'s -v: 4 shows what is fetched and why, 6 every request (method, URL, status, time, size), 8 the client\'s own debug logs' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand plan" -l no-headers -d 'Do not print headers (nor the summary line)'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand plan" -l exit-code -d 'Exit with status 3 when an eligible node lacks a Running pod (plan: when one would be Unschedulable or Refused)'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand plan" -l insecure-skip-tls-verify -d 'Do not check the server\'s certificate for validity (makes the connection insecure)'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand plan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand plan" -s V -l version -d 'Print version'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion" -s n -l namespace -d 'Namespace of the DaemonSet(s) [default: the kubeconfig context\'s namespace, else "default"; the same with -f, where the kubeconfig is only read for this]' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion" -l context -d 'The kubeconfig context to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion" -l kubeconfig -d 'Path to the kubeconfig file [default: $KUBECONFIG, else ~/.kube/config]' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion" -s f -l from-file -d 'Read cluster state from a file or directory of `kubectl get -o json|yaml` output ("-" for stdin)' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion" -s o -l output -d 'Output format' -r -f -a "table\t'Columns as kubectl get prints them; "No resources found in NS namespace." on stderr when nothing matches'
wide\t'The table with more columns'
json\t'A versioned document (apiVersion ds.kubectl.dev/v1alpha1, kind DaemonSetReport or CoverageReport)'
yaml\t'The JSON document as YAML'
name\t'One line per table row, as kubectl\'s -o name: node/NAME for why, daemonset.apps/NAME for coverage'"
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion" -l color -d 'When to colour the output (NO_COLOR in the environment also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion" -l request-timeout -d 'How long to wait for each API request, a Go duration as kubectl takes it: 10s, 1m30s, 500ms (a bare number is seconds; 0 means no timeout)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion" -l timeout -d 'The longest a run against a cluster may take in all (connecting, every request, retries), so it never hangs a shell or a CI job; a duration as --request-timeout takes, 0 for no limit [default: 5m, or --request-timeout when that is longer]' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion" -l as -d 'Username to impersonate for the operation' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion" -l tls-server-name -d 'Server name to use for server certificate validation [default: the server URL\'s host]' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion" -s v -l v -d 'Log level on stderr, as kubectl\'s -v: 4 shows what is fetched and why, 6 every request (method, URL, status, time, size), 8 the client\'s own debug logs' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion" -l no-headers -d 'Do not print headers (nor the summary line)'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion" -l exit-code -d 'Exit with status 3 when an eligible node lacks a Running pod (plan: when one would be Unschedulable or Refused)'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion" -l insecure-skip-tls-verify -d 'Do not check the server\'s certificate for validity (makes the connection insecure)'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion" -s V -l version -d 'Print version'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand help; and not __fish_seen_subcommand_from why coverage plan completion help" -f -a "why" -d 'Show, node by node, whether a DaemonSet\'s pod is there and healthy, and why not'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand help; and not __fish_seen_subcommand_from why coverage plan completion help" -f -a "coverage" -d 'Show every DaemonSet against every node: counts, coverage and the top reason for gaps'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand help; and not __fish_seen_subcommand_from why coverage plan completion help" -f -a "plan" -d 'Show, node by node, what applying a DaemonSet manifest would do: scheduled, pending, refused by admission, or not eligible, and what changes when the DaemonSet exists'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand help; and not __fish_seen_subcommand_from why coverage plan completion help" -f -a "completion" -d 'Print a shell completion script (bash, zsh, fish, powershell)'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand help; and not __fish_seen_subcommand_from why coverage plan completion help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
