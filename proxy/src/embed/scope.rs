//! What an embed principal may reach: its dashboard's definition and its panel's data,
//! nothing else — no free PromQL, no other dashboard, no management API.

use super::token::Claims;
use crate::error::ProxyError;
use axum::http::Method;
use std::collections::BTreeMap;

/// The scope of an embed token.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmbedScope {
    pub dashboard: String,
    pub panel: Option<String>,
    /// Locked variable values.
    pub vars: BTreeMap<String, Vec<String>>,
}

impl From<Claims> for EmbedScope {
    fn from(claims: Claims) -> Self {
        EmbedScope {
            dashboard: claims.dashboard,
            panel: claims.panel,
            vars: claims.vars,
        }
    }
}

fn decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

impl EmbedScope {
    /// A 403 unless `method path` is within the scope.
    pub fn allows(&self, method: &Method, path: &str) -> Result<(), ProxyError> {
        let what = match &self.panel {
            Some(panel) => format!("the panel {panel:?} of the dashboard {:?}", self.dashboard),
            None => format!("the dashboard {:?}", self.dashboard),
        };
        let refuse = || {
            Err(ProxyError::Forbidden(format!(
                "this embed link only shows {what}"
            )))
        };
        if method != Method::GET {
            return refuse();
        }
        let segments: Vec<String> = path
            .trim_start_matches('/')
            .split('/')
            .map(decode)
            .collect();
        let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
        match segments.as_slice() {
            ["api", "session"] => Ok(()),
            ["api", "dashboards", id] if *id == self.dashboard => Ok(()),
            ["api", "dashboards", id, "panels", panel, "data"]
                if *id == self.dashboard && self.panel.as_deref().is_none_or(|p| p == *panel) =>
            {
                Ok(())
            }
            _ => refuse(),
        }
    }

    /// Like [`EmbedScope::allows`], and also the live stream (`/api/live/<source>`) of a
    /// live table panel within the scope.
    pub fn allows_in(
        &self,
        catalog: &crate::dashboards::Catalog,
        method: &Method,
        path: &str,
    ) -> Result<(), ProxyError> {
        if method == Method::GET
            && let Some(source) = path.strip_prefix("/api/live/")
        {
            let source = decode(source);
            let shown = catalog.get(&self.dashboard).is_some_and(|dashboard| {
                dashboard.panels.iter().any(|p| {
                    p.kind == vantage_api::dashboard::PanelKind::LiveTable
                        && p.source.as_deref() == Some(source.as_str())
                        && self.panel.as_deref().is_none_or(|id| id == p.id)
                })
            });
            if shown {
                return Ok(());
            }
        }
        self.allows(method, path)
    }

    /// The locked values of a variable the URL tries to set, if they differ: a 403.
    pub fn check_override(&self, name: &str, values: &[String]) -> Result<(), ProxyError> {
        match self.vars.get(name) {
            Some(locked) if locked.as_slice() != values => Err(ProxyError::Forbidden(format!(
                "the variable {name:?} is locked by this embed link to {}",
                locked.join(", ")
            ))),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope() -> EmbedScope {
        EmbedScope {
            dashboard: "cost-attribution".into(),
            panel: Some("top-repositories".into()),
            vars: BTreeMap::from([("repository".to_owned(), vec!["acme/api".to_owned()])]),
        }
    }

    #[test]
    fn allows_only_its_own_dashboard_and_panel() {
        let s = scope();
        assert!(
            s.allows(&Method::GET, "/api/dashboards/cost-attribution")
                .is_ok()
        );
        assert!(
            s.allows(
                &Method::GET,
                "/api/dashboards/cost-attribution/panels/top-repositories/data"
            )
            .is_ok()
        );
        assert!(
            s.allows(
                &Method::GET,
                "/api/dashboards/cost%2Dattribution/panels/top%2Drepositories/data"
            )
            .is_ok()
        );
        assert!(s.allows(&Method::GET, "/api/session").is_ok());
        for denied in [
            "/api/dashboards/orchestrator-security",
            "/api/dashboards/cost-attribution/panels/cost-by-user/data",
            "/api/v1/query_range",
            "/api/v1/query",
            "/api/dashboards",
            "/api/metrics/circuit-breakers",
        ] {
            assert!(s.allows(&Method::GET, denied).is_err(), "{denied} allowed");
        }
        assert!(
            s.allows(&Method::POST, "/api/dashboards/cost-attribution")
                .is_err()
        );
    }

    #[test]
    fn a_live_table_panel_reaches_its_stream_only() {
        let catalog = crate::dashboards::Catalog::load(None).expect("built-in dashboards");
        let panel = |panel: Option<&str>| EmbedScope {
            dashboard: "orchestrator-websocket".into(),
            panel: panel.map(str::to_owned),
            vars: BTreeMap::new(),
        };
        let live = "/api/live/websocket-connections";
        assert!(
            panel(Some("live-sessions"))
                .allows_in(&catalog, &Method::GET, live)
                .is_ok()
        );
        assert!(panel(None).allows_in(&catalog, &Method::GET, live).is_ok());
        for (scope, path) in [
            (panel(Some("active-connections")), live),
            (panel(Some("live-sessions")), "/api/live/circuit-breakers"),
            (panel(None), "/api/live/circuit-breakers"),
            (scope(), live),
        ] {
            assert!(
                scope.allows_in(&catalog, &Method::GET, path).is_err(),
                "{scope:?} reached {path}"
            );
        }
        assert!(
            panel(None)
                .allows_in(
                    &catalog,
                    &Method::GET,
                    "/api/dashboards/orchestrator-websocket"
                )
                .is_ok()
        );
    }

    #[test]
    fn locked_variables_cannot_be_overridden() {
        let s = scope();
        assert!(
            s.check_override("repository", &["acme/api".to_owned()])
                .is_ok()
        );
        assert!(
            s.check_override("repository", &["acme/web".to_owned()])
                .is_err()
        );
        assert!(s.check_override("user", &["bob".to_owned()]).is_ok());
    }
}
