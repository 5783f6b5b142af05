//! Reads an object while skipping chosen fields unread (`metadata.managedFields`, a node's image list):
//! they are never used, and built as values they cost more than the rest of the object. Pure serde.

use std::fmt;

use serde::de::value::StrDeserializer;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

/// Field paths never read, relative to one object: `["metadata", "managedFields"]`.
pub(super) type Paths = &'static [&'static [&'static str]];

/// Deserializes `T` from `de`, skipping `paths` unread.
pub(super) fn deserialize_without<'de, T, D>(de: D, paths: Paths) -> Result<T, D::Error>
where
    T: serde::Deserialize<'de>,
    D: Deserializer<'de>,
{
    T::deserialize(Without {
        de,
        paths,
        prefix: &[],
    })
}

/// A deserializer for the value at `prefix`, the start of one or more `paths`.
struct Without<D> {
    de: D,
    paths: Paths,
    prefix: &'static [&'static str],
}

impl<D> Without<D> {
    /// The inner deserializer, and `v` wrapped to filter what it visits.
    fn split<V>(self, v: V) -> (D, Filter<V>) {
        let filter = Filter {
            v,
            paths: self.paths,
            prefix: self.prefix,
        };
        (self.de, filter)
    }
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Without<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, D::Error> {
        let (de, v) = self.split(v);
        de.deserialize_any(v)
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, D::Error> {
        let (de, v) = self.split(v);
        de.deserialize_option(v)
    }

    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, D::Error> {
        let (de, v) = self.split(v);
        de.deserialize_map(v)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, D::Error> {
        self.deserialize_map(v)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct newtype_struct seq tuple tuple_struct enum identifier ignored_any
    }
}

/// The visitor of the value at `prefix`: maps are read through `FilteredMap`.
struct Filter<V> {
    v: V,
    paths: Paths,
    prefix: &'static [&'static str],
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Filter<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.v.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.v.visit_map(FilteredMap {
            map,
            paths: self.paths,
            prefix: self.prefix,
            key: None,
        })
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<V::Value, D::Error> {
        self.v.visit_some(Without {
            de,
            paths: self.paths,
            prefix: self.prefix,
        })
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<V::Value, E> {
        self.v.visit_none()
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<V::Value, E> {
        self.v.visit_unit()
    }

    fn visit_bool<E: serde::de::Error>(self, x: bool) -> Result<V::Value, E> {
        self.v.visit_bool(x)
    }

    fn visit_i64<E: serde::de::Error>(self, x: i64) -> Result<V::Value, E> {
        self.v.visit_i64(x)
    }

    fn visit_u64<E: serde::de::Error>(self, x: u64) -> Result<V::Value, E> {
        self.v.visit_u64(x)
    }

    fn visit_f64<E: serde::de::Error>(self, x: f64) -> Result<V::Value, E> {
        self.v.visit_f64(x)
    }

    fn visit_str<E: serde::de::Error>(self, x: &str) -> Result<V::Value, E> {
        self.v.visit_str(x)
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, x: &'de str) -> Result<V::Value, E> {
        self.v.visit_borrowed_str(x)
    }

    fn visit_string<E: serde::de::Error>(self, x: String) -> Result<V::Value, E> {
        self.v.visit_string(x)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.v.visit_seq(seq)
    }
}

/// A map whose keys at the end of a path are skipped, and whose values along a path are filtered further.
struct FilteredMap<A> {
    map: A,
    paths: Paths,
    prefix: &'static [&'static str],
    /// The key just read, for its value.
    key: Option<String>,
}

impl<A> FilteredMap<A> {
    /// The paths that go through `key` in this map.
    fn along<'k>(&self, key: &'k str) -> impl Iterator<Item = &'static [&'static str]> + 'k {
        let prefix = self.prefix;
        self.paths.iter().copied().filter(move |p| {
            p.len() > prefix.len() && p.starts_with(prefix) && p[prefix.len()] == key
        })
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for FilteredMap<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        while let Some(key) = self.map.next_key::<std::borrow::Cow<'de, str>>()? {
            if self.along(&key).any(|p| p.len() == self.prefix.len() + 1) {
                self.map.next_value::<IgnoredAny>()?;
                continue;
            }
            let value = seed.deserialize(StrDeserializer::<A::Error>::new(&key))?;
            self.key = Some(key.into_owned());
            return Ok(Some(value));
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        let key = self.key.take().unwrap_or_default();
        let Some(path) = self.along(&key).next() else {
            return self.map.next_value_seed(seed);
        };
        self.map.next_value_seed(Deeper {
            seed,
            paths: self.paths,
            prefix: &path[..self.prefix.len() + 1],
        })
    }
}

/// A value along a path: read through `Without` one level down.
struct Deeper<S> {
    seed: S,
    paths: Paths,
    prefix: &'static [&'static str],
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Deeper<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(Without {
            de,
            paths: self.paths,
            prefix: self.prefix,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    // k8s-openapi's Pod, which has the fields skipped here (the model pod never reads them).
    use k8s_openapi::api::core::v1::{Node, Pod};

    const POD: &str = r#"{"apiVersion":"v1","kind":"Pod",
        "metadata":{"name":"p","labels":{"a":"b"},"managedFields":[{"manager":"kubelet","fieldsV1":{"f:x":{}}}]},
        "spec":{"nodeName":"n","volumes":[{"name":"v","emptyDir":{}}],"containers":[{"name":"c","image":"i"}]},
        "status":{"phase":"Running"}}"#;

    fn read<T: serde::de::DeserializeOwned>(text: &str, paths: Paths) -> T {
        let mut de = serde_json::Deserializer::from_str(text);
        deserialize_without(&mut de, paths).expect("object")
    }

    #[test]
    fn skipped_paths_are_absent_and_everything_else_is_read_as_usual() {
        let whole: Pod = serde_json::from_str(POD).expect("pod");
        let pod: Pod = read(POD, &[&["metadata", "managedFields"], &["spec", "volumes"]]);
        assert!(pod.metadata.managed_fields.is_none());
        assert!(pod.spec.as_ref().is_some_and(|s| s.volumes.is_none()));
        let mut want = whole;
        want.metadata.managed_fields = None;
        if let Some(s) = &mut want.spec {
            s.volumes = None;
        }
        assert_eq!(pod, want);
    }

    #[test]
    fn no_paths_reads_the_object_whole() {
        let pod: Pod = read(POD, &[]);
        assert_eq!(pod, serde_json::from_str::<Pod>(POD).expect("pod"));
    }

    #[test]
    fn a_missing_or_null_parent_is_fine() {
        let node: Node = read(
            r#"{"metadata":{"name":"n"},"status":null}"#,
            &[&["metadata", "managedFields"], &["status", "images"]],
        );
        assert_eq!(node.metadata.name.as_deref(), Some("n"));
        assert!(node.status.is_none());
    }

    #[test]
    fn a_path_is_skipped_only_under_its_own_parent() {
        // status.images is a node's image list; spec has no such field, but a key of that name under
        // another parent must be read, not skipped.
        let pod: Pod = read(
            r#"{"metadata":{"name":"p","labels":{"images":"x"}}}"#,
            &[&["status", "images"], &["images"]],
        );
        assert_eq!(
            pod.metadata
                .labels
                .and_then(|l| l.get("images").cloned())
                .as_deref(),
            Some("x")
        );
    }

    #[test]
    fn a_wrong_type_is_still_an_error() {
        let mut de = serde_json::Deserializer::from_str(r#"{"metadata":{"name":7}}"#);
        let r: Result<Pod, _> = deserialize_without(&mut de, &[&["metadata", "managedFields"]]);
        assert!(r.is_err());
    }
}
