//! Label values of the AI orchestrator (seed 000): agents, repositories, users.

/// Agent types, as the `agent_type` label of the execution latency timer.
pub const AGENT_TYPES: [&str; 6] = [
    "PM",
    "QUALIFIER",
    "ARCHITECT",
    "DEVELOPER",
    "TESTER",
    "WRITER",
];

/// Graft agents behind each agent type (same order), as the `agent` label.
pub const GRAFT_AGENTS: [&str; 6] = [
    "pm-v1",
    "qualifier-v1",
    "architect-v1",
    "developer-v1",
    "tester-v1",
    "writer-v1",
];

/// How often each agent type runs (same order): developers and testers do most work.
pub const AGENT_MIX: [f64; 6] = [0.12, 0.14, 0.12, 0.30, 0.20, 0.12];

/// Median execution latency per agent type in milliseconds (same order).
pub const AGENT_MEDIAN_MS: [f64; 6] = [1200.0, 900.0, 2800.0, 3000.0, 2400.0, 1800.0];

/// Typical USD cost of one execution per agent type (same order).
pub const AGENT_COST_USD: [f64; 6] = [0.0008, 0.0006, 0.0024, 0.0036, 0.0016, 0.0012];

/// Secrets rotated through Vault.
pub const SECRETS: [&str; 2] = ["jwt-secret", "oauth2-secret"];

/// Repositories, most active first. `myorg/myrepo` is the one the seed's queries name.
pub const REPOSITORIES: [&str; 25] = [
    "myorg/myrepo",
    "acme/payments-api",
    "acme/checkout-web",
    "acme/identity-service",
    "acme/mobile-app",
    "acme/data-pipeline",
    "acme/infra-terraform",
    "acme/search-indexer",
    "acme/notifications",
    "acme/admin-portal",
    "acme/billing-engine",
    "myorg/orchestrator",
    "myorg/agent-sdk",
    "myorg/docs-site",
    "globex/warehouse-api",
    "globex/inventory-sync",
    "globex/forecasting",
    "initech/tps-reports",
    "initech/hr-portal",
    "umbrella/lab-results",
    "umbrella/compliance-bot",
    "hooli/nucleus",
    "hooli/video-transcoder",
    "stark/arc-telemetry",
    "wayne/security-ops",
];

/// Users, heaviest first. `user123` is the one the seed's queries name.
pub const USERS: [&str; 40] = [
    "user123",
    "achen",
    "bmartin",
    "cdiaz",
    "dkim",
    "eobrien",
    "fmuller",
    "gpatel",
    "hnguyen",
    "iivanova",
    "jsmith",
    "kwong",
    "lgarcia",
    "mrossi",
    "nsingh",
    "okowalski",
    "pschmidt",
    "qli",
    "rlopez",
    "sito",
    "tjohnson",
    "ualvarez",
    "vpetrov",
    "wzhang",
    "xmoreau",
    "ybrown",
    "zsato",
    "aokafor",
    "bnovak",
    "cfischer",
    "dsilva",
    "ehansen",
    "fyilmaz",
    "gkaur",
    "hlarsen",
    "ikuznetsov",
    "jtanaka",
    "kmensah",
    "lbianchi",
    "ci-bot",
];

/// Zipf exponent of user activity: a few users generate most of the work.
const USER_ZIPF: f64 = 1.05;

/// A repository one user works on, with the share of all work it gets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    /// Repository label value.
    pub repository: &'static str,
    /// User label value.
    pub user: &'static str,
    /// Share of all executions (all pairs sum to 1).
    pub weight: f64,
}

/// Every (repository, user) pair that ever sees work: each user works on one to three
/// repositories, so the label cardinality is fixed (about 60 pairs, not 25 x 40).
pub fn pairs() -> Vec<Pair> {
    let n = REPOSITORIES.len();
    let mut out = Vec::new();
    for (i, user) in USERS.iter().enumerate() {
        let user_weight = 1.0 / ((i + 1) as f64).powf(USER_ZIPF);
        // Primary repository, then a second for every other user, a third for a few.
        let mut repos = vec![(i * 7) % n];
        if i % 2 == 0 {
            repos.push((i * 11 + 3) % n);
        }
        if i % 8 == 0 {
            repos.push((i * 5 + 13) % n);
        }
        repos.dedup();
        let shares: &[f64] = match repos.len() {
            1 => &[1.0],
            2 => &[0.7, 0.3],
            _ => &[0.6, 0.3, 0.1],
        };
        for (repo, share) in repos.iter().zip(shares) {
            out.push(Pair {
                repository: REPOSITORIES[*repo],
                user,
                weight: user_weight * share,
            });
        }
    }
    let total: f64 = out.iter().map(|p| p.weight).sum();
    for pair in &mut out {
        pair.weight /= total;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_unique_bounded_and_normalised() {
        let pairs = pairs();
        assert!((50..=70).contains(&pairs.len()), "{} pairs", pairs.len());
        let total: f64 = pairs.iter().map(|p| p.weight).sum();
        assert!((total - 1.0).abs() < 1e-9);
        let mut keys: Vec<_> = pairs.iter().map(|p| (p.repository, p.user)).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), pairs.len());
    }

    #[test]
    fn a_few_heavy_hitters_and_the_seed_names_are_present() {
        let mut pairs = pairs();
        pairs.sort_by(|a, b| b.weight.total_cmp(&a.weight));
        let top3: f64 = pairs.iter().take(3).map(|p| p.weight).sum();
        let bottom_half: f64 = pairs.iter().skip(pairs.len() / 2).map(|p| p.weight).sum();
        assert!(top3 > 0.25, "top three carry {top3}");
        assert!(bottom_half < 0.2, "bottom half carries {bottom_half}");
        assert_eq!(pairs[0].user, "user123");
        assert_eq!(pairs[0].repository, "myorg/myrepo");
    }
}
