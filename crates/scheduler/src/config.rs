//! Typed configuration read from the Lambda's environment.
//!
//! Every value is checked here, at cold start, so that a typo in the Terraform
//! module fails loudly on the first invocation instead of silently scaling the
//! wrong thing (the original scheduler reused the web count for the API).

use std::collections::HashMap;

/// Desired count used on `start` when the variable is not set.
pub const DEFAULT_DESIRED_COUNT: i32 = 1;

/// Upper bound accepted for a start count: the services' auto scaling maximum.
pub const MAX_DESIRED_COUNT: i32 = 10;

/// Which of the two ECS services a [`ServiceTarget`] describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The service behind `/` (health check `/health`).
    Web,
    /// The service behind `/api/*` (health check `/api/health`).
    Api,
}

/// One ECS service the scheduler manages, with the count it runs at in working hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceTarget {
    /// Role of the service, used in logs and the summary.
    pub role: Role,
    /// ECS service name in the cluster.
    pub name: String,
    /// Desired count applied on `start`.
    pub running_count: i32,
}

/// Everything the scheduler needs, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchedulerConfig {
    /// ECS cluster name (`CLUSTER_NAME`).
    pub cluster: String,
    /// AWS region (`AWS_REGION`, always set by Lambda).
    pub region: String,
    /// The web service, then the API service.
    pub services: [ServiceTarget; 2],
}

/// A configuration problem; the message names the variable to fix.
///
/// `Debug` prints the `Display` message, which is what `main` shows when it
/// returns this error at cold start.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// A required variable is unset or blank.
    #[error("environment variable {0} is required but not set")]
    Missing(&'static str),
    /// A count is not an integer in the accepted range.
    #[error(
        "environment variable {name} must be an integer from 1 to {MAX_DESIRED_COUNT}, got {value:?}"
    )]
    InvalidCount {
        /// Variable name.
        name: &'static str,
        /// The rejected value.
        value: String,
    },
    /// Both service variables name the same service.
    #[error("WEB_SERVICE_NAME and API_SERVICE_NAME must differ, both are {0:?}")]
    SameService(String),
}

impl std::fmt::Debug for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl SchedulerConfig {
    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration from a map; used by tests instead of mutating
    /// the (process-wide) environment.
    pub fn from_map(vars: &HashMap<String, String>) -> Result<Self, ConfigError> {
        Self::from_lookup(|name| vars.get(name).cloned())
    }

    /// Reads the configuration through `lookup`, which returns a variable's value.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let required = |name: &'static str| {
            lookup(name)
                .map(|value| value.trim().to_owned())
                .filter(|value| !value.is_empty())
                .ok_or(ConfigError::Missing(name))
        };
        let count = |name: &'static str| match lookup(name) {
            None => Ok(DEFAULT_DESIRED_COUNT),
            Some(raw) if raw.trim().is_empty() => Ok(DEFAULT_DESIRED_COUNT),
            Some(raw) => raw
                .trim()
                .parse::<i32>()
                .ok()
                .filter(|n| (1..=MAX_DESIRED_COUNT).contains(n))
                .ok_or(ConfigError::InvalidCount { name, value: raw }),
        };

        let cluster = required("CLUSTER_NAME")?;
        let region = required("AWS_REGION")?;
        let web = ServiceTarget {
            role: Role::Web,
            name: required("WEB_SERVICE_NAME")?,
            running_count: count("WEB_DESIRED_COUNT")?,
        };
        let api = ServiceTarget {
            role: Role::Api,
            name: required("API_SERVICE_NAME")?,
            running_count: count("API_DESIRED_COUNT")?,
        };
        if web.name == api.name {
            return Err(ConfigError::SameService(web.name));
        }
        Ok(Self {
            cluster,
            region,
            services: [web, api],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn full() -> HashMap<String, String> {
        vars(&[
            ("CLUSTER_NAME", "bookmark-manager-staging-cluster"),
            ("AWS_REGION", "ap-northeast-1"),
            ("WEB_SERVICE_NAME", "bookmark-manager-staging-web"),
            ("API_SERVICE_NAME", "bookmark-manager-staging-api"),
            ("WEB_DESIRED_COUNT", "2"),
            ("API_DESIRED_COUNT", "3"),
        ])
    }

    #[test]
    fn reads_each_service_with_its_own_count() {
        let config = SchedulerConfig::from_map(&full()).unwrap();
        assert_eq!(config.cluster, "bookmark-manager-staging-cluster");
        assert_eq!(config.services[0].role, Role::Web);
        assert_eq!(config.services[0].running_count, 2);
        assert_eq!(config.services[1].role, Role::Api);
        assert_eq!(config.services[1].name, "bookmark-manager-staging-api");
        assert_eq!(config.services[1].running_count, 3);
    }

    #[test]
    fn counts_default_to_one() {
        let mut env = full();
        env.remove("WEB_DESIRED_COUNT");
        env.insert("API_DESIRED_COUNT".into(), " ".into());
        let config = SchedulerConfig::from_map(&env).unwrap();
        assert_eq!(config.services[0].running_count, 1);
        assert_eq!(config.services[1].running_count, 1);
    }

    #[test]
    fn every_required_variable_is_named_when_missing() {
        for name in [
            "CLUSTER_NAME",
            "AWS_REGION",
            "WEB_SERVICE_NAME",
            "API_SERVICE_NAME",
        ] {
            let mut env = full();
            env.remove(name);
            let err = SchedulerConfig::from_map(&env).unwrap_err();
            assert_eq!(err, ConfigError::Missing(name));
            assert!(err.to_string().contains(name), "{err}");
            env.insert(name.into(), "  ".into());
            assert_eq!(
                SchedulerConfig::from_map(&env).unwrap_err(),
                ConfigError::Missing(name)
            );
        }
    }

    #[test]
    fn rejects_bad_counts() {
        for bad in ["0", "-1", "11", "two", "1.5"] {
            let mut env = full();
            env.insert("API_DESIRED_COUNT".into(), bad.into());
            let err = SchedulerConfig::from_map(&env).unwrap_err();
            assert!(
                matches!(
                    err,
                    ConfigError::InvalidCount {
                        name: "API_DESIRED_COUNT",
                        ..
                    }
                ),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn rejects_the_same_service_twice() {
        let mut env = full();
        env.insert(
            "API_SERVICE_NAME".into(),
            "bookmark-manager-staging-web".into(),
        );
        assert!(matches!(
            SchedulerConfig::from_map(&env),
            Err(ConfigError::SameService(_))
        ));
    }
}
