//! Minting: checks that what a link would grant exists before signing it, so a typo
//! gives an error now rather than a broken embed later.

use super::token::{Claims, mint};
use crate::dashboards::Catalog;
use std::collections::BTreeMap;
use std::time::Duration;
use vantage_api::duration::parse_prometheus_duration;

/// What to grant.
#[derive(Debug, Clone, Default)]
pub struct Grant {
    pub dashboard: String,
    pub panel: Option<String>,
    pub vars: BTreeMap<String, Vec<String>>,
    pub expires_in: String,
}

/// Signs a token for `grant`, checked against `catalog` and `max_ttl`.
pub fn mint_grant(
    grant: &Grant,
    catalog: &Catalog,
    secret: &[u8],
    max_ttl: Duration,
    now_s: u64,
) -> Result<(String, u64), String> {
    let dashboard = catalog
        .get(&grant.dashboard)
        .ok_or_else(|| format!("dashboard: there is no dashboard {:?}", grant.dashboard))?;
    if let Some(panel) = &grant.panel
        && !dashboard.panels.iter().any(|p| &p.id == panel)
    {
        return Err(format!(
            "panel: the dashboard {:?} has no panel {panel:?}",
            grant.dashboard
        ));
    }
    for name in grant.vars.keys() {
        if !dashboard.variables.iter().any(|v| &v.name == name) {
            return Err(format!(
                "variables: the dashboard {:?} has no variable {name:?}",
                grant.dashboard
            ));
        }
    }
    let ttl_ms =
        parse_prometheus_duration(&grant.expires_in).map_err(|e| format!("expires_in: {e}"))?;
    if ttl_ms == 0 || ttl_ms > max_ttl.as_millis() as u64 {
        return Err(format!(
            "expires_in: {:?} must be more than 0 and at most {}",
            grant.expires_in,
            vantage_api::duration::format_duration_ms(max_ttl.as_millis() as u64)
        ));
    }
    let exp = now_s + ttl_ms.div_ceil(1000);
    let claims = Claims {
        dashboard: grant.dashboard.clone(),
        panel: grant.panel.clone(),
        vars: grant.vars.clone(),
        exp,
        iat: now_s,
    };
    mint(&claims, secret).map(|token| (token, exp))
}

/// `name=value` pairs into locked variables (repeating a name adds a value).
pub fn parse_var_flags(flags: &[String]) -> Result<BTreeMap<String, Vec<String>>, String> {
    let mut vars: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for flag in flags {
        let (name, value) = flag
            .split_once('=')
            .ok_or_else(|| format!("--var {flag:?}: write it as name=value"))?;
        vars.entry(name.trim().to_owned())
            .or_default()
            .push(value.to_owned());
    }
    Ok(vars)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn checks_the_grant_before_signing() {
        let catalog = Catalog::load(None).expect("catalog");
        let max = Duration::from_secs(86_400);
        let ok = Grant {
            dashboard: "cost-attribution".into(),
            panel: Some("top-repositories".into()),
            vars: parse_var_flags(&["repository=acme/api".to_owned()]).expect("vars"),
            expires_in: "1h".into(),
        };
        let (token, exp) = mint_grant(&ok, &catalog, SECRET, max, 1_000).expect("minted");
        assert_eq!(exp, 4_600);
        assert_eq!(
            crate::embed::verify(&token, SECRET, 1_001).map(|c| c.dashboard),
            Ok("cost-attribution".to_owned())
        );
        for (bad, field) in [
            (
                Grant {
                    dashboard: "nope".into(),
                    ..ok.clone()
                },
                "dashboard:",
            ),
            (
                Grant {
                    panel: Some("nope".into()),
                    ..ok.clone()
                },
                "panel:",
            ),
            (
                Grant {
                    vars: BTreeMap::from([("colour".to_owned(), vec![])]),
                    ..ok.clone()
                },
                "variables:",
            ),
            (
                Grant {
                    expires_in: "2d".into(),
                    ..ok.clone()
                },
                "expires_in:",
            ),
        ] {
            let err = mint_grant(&bad, &catalog, SECRET, max, 1_000).expect_err("refused");
            assert!(err.starts_with(field), "{err}");
        }
    }
}
