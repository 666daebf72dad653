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

/// The most repositories and users `--repositories` and `--users` accept.
pub const MAX_REPOSITORIES: usize = 5_000;
pub const MAX_USERS: usize = 10_000;

/// How many repositories and users spend is spread over: the catalog's by default;
/// larger numbers add synthetic ones to the cost counter (`--repositories 500 --users
/// 1000` is the most seed 000 recommends), to show how the console copes with them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cardinality {
    pub repositories: usize,
    pub users: usize,
}

impl Default for Cardinality {
    fn default() -> Self {
        Self {
            repositories: REPOSITORIES.len(),
            users: USERS.len(),
        }
    }
}

impl Cardinality {
    /// At least the catalog, at most the flags' limits.
    pub fn new(repositories: Option<usize>, users: Option<usize>) -> Self {
        let catalog = Self::default();
        Self {
            repositories: repositories
                .unwrap_or(catalog.repositories)
                .clamp(catalog.repositories, MAX_REPOSITORIES),
            users: users
                .unwrap_or(catalog.users)
                .clamp(catalog.users, MAX_USERS),
        }
    }

    /// Whether synthetic repositories or users are added.
    pub fn is_catalog(&self) -> bool {
        *self == Self::default()
    }

    /// Repository `i` (catalog first, then synthetic).
    fn repository(&self, i: usize) -> &'static str {
        REPOSITORIES
            .get(i)
            .copied()
            .unwrap_or_else(|| intern(format!("synthetic/repo-{:04}", i + 1)))
    }

    /// User `i` (catalog first, then synthetic).
    fn user(&self, i: usize) -> &'static str {
        USERS
            .get(i)
            .copied()
            .unwrap_or_else(|| intern(format!("synthetic-user-{:05}", i + 1)))
    }
}

/// A synthetic label value as the `&'static str` the metric families key on. Each
/// distinct name is leaked once per process; there are at most `MAX_REPOSITORIES +
/// MAX_USERS` of them.
fn intern(name: String) -> &'static str {
    static NAMES: std::sync::Mutex<std::collections::BTreeMap<String, &'static str>> =
        std::sync::Mutex::new(std::collections::BTreeMap::new());
    let mut names = NAMES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(interned) = names.get(&name) {
        return interned;
    }
    let interned: &'static str = Box::leak(name.clone().into_boxed_str());
    names.insert(name, interned);
    interned
}

/// A repository one user works on, with the share of all work it gets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    /// Repository label value.
    pub repository: &'static str,
    /// User label value.
    pub user: &'static str,
    /// Share of all executions (all pairs sum to 1).
    pub weight: f64,
    /// The (repository, user) its executions' latency is recorded under: its own for a
    /// catalog pair, a catalog pair's for a synthetic one, so that extra repositories
    /// and users grow the cost counter only, not the latency histogram.
    pub latency_labels: (&'static str, &'static str),
}

/// Every (repository, user) pair of the catalog that ever sees work: each user works
/// on one to three repositories, so the label cardinality is fixed (about 60 pairs,
/// not 25 x 40).
pub fn pairs() -> Vec<Pair> {
    pairs_for(Cardinality::default())
}

/// Adds a pair unless it is there already; a synthetic pair records its latency under
/// the labels of catalog pair `host`.
fn push(
    out: &mut Vec<Pair>,
    repository: &'static str,
    user: &'static str,
    weight: f64,
    host: Option<usize>,
) {
    if out
        .iter()
        .any(|p| p.repository == repository && p.user == user)
    {
        return;
    }
    let latency_labels = host
        .and_then(|h| out.get(h))
        .map_or((repository, user), |p| p.latency_labels);
    out.push(Pair {
        repository,
        user,
        weight,
        latency_labels,
    });
}

/// The catalog's pairs, then the synthetic ones `cardinality` adds: users past the
/// catalog continue its Zipf law, each on a synthetic repository (every one gets at
/// least one user) and every third on a second repository; weights sum to 1.
pub fn pairs_for(cardinality: Cardinality) -> Vec<Pair> {
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
            push(
                &mut out,
                REPOSITORIES[*repo],
                user,
                user_weight * share,
                None,
            );
        }
    }
    let catalog_pairs = out.len();
    let extra_repositories = cardinality.repositories - n;
    let mut served = vec![false; extra_repositories];
    for i in USERS.len()..cardinality.users {
        let user = cardinality.user(i);
        let user_weight = 1.0 / ((i + 1) as f64).powf(USER_ZIPF);
        let primary = if extra_repositories > 0 {
            let k = (i - USERS.len()) % extra_repositories;
            served[k] = true;
            n + k
        } else {
            (i * 7) % n
        };
        let host = i % catalog_pairs;
        if i % 3 == 0 {
            let second = (i * 11 + 3) % cardinality.repositories;
            push(
                &mut out,
                cardinality.repository(primary),
                user,
                user_weight * 0.7,
                Some(host),
            );
            push(
                &mut out,
                cardinality.repository(second),
                user,
                user_weight * 0.3,
                Some(host),
            );
        } else {
            push(
                &mut out,
                cardinality.repository(primary),
                user,
                user_weight,
                Some(host),
            );
        }
    }
    // Repositories no synthetic user reached (more repositories than users): a light
    // user each.
    for (k, _) in served.iter().enumerate().filter(|(_, s)| !**s) {
        let i = (k * 13) % cardinality.users;
        let weight = 0.2 / ((i + 1) as f64).powf(USER_ZIPF);
        push(
            &mut out,
            cardinality.repository(n + k),
            cardinality.user(i),
            weight,
            Some(k % catalog_pairs),
        );
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
    fn synthetic_repositories_and_users_join_the_cost_pairs_only() {
        let catalog = pairs();
        let wide = pairs_for(Cardinality::new(Some(500), Some(1000)));
        let repositories: std::collections::BTreeSet<_> =
            wide.iter().map(|p| p.repository).collect();
        let users: std::collections::BTreeSet<_> = wide.iter().map(|p| p.user).collect();
        assert_eq!(repositories.len(), 500);
        assert_eq!(users.len(), 1000);
        assert!(wide.len() < 1_500, "{} pairs", wide.len());
        let total: f64 = wide.iter().map(|p| p.weight).sum();
        assert!((total - 1.0).abs() < 1e-9);
        // The catalog's pairs come first, in the same order.
        for (a, b) in catalog.iter().zip(&wide) {
            assert_eq!((a.repository, a.user), (b.repository, b.user));
        }
        // Latency stays on the catalog's label sets.
        let catalog_sets: std::collections::BTreeSet<_> =
            catalog.iter().map(|p| (p.repository, p.user)).collect();
        assert!(
            wide.iter()
                .all(|p| catalog_sets.contains(&p.latency_labels))
        );
        // More repositories than users: every repository still sees work.
        let few_users = pairs_for(Cardinality::new(Some(300), Some(100)));
        let repositories: std::collections::BTreeSet<_> =
            few_users.iter().map(|p| p.repository).collect();
        assert_eq!(repositories.len(), 300);
        // Below the catalog means the catalog; the same names every time.
        assert!(Cardinality::new(Some(3), None).is_catalog());
        assert_eq!(
            pairs_for(Cardinality::new(Some(30), Some(50)))
                .last()
                .map(|p| p.user),
            pairs_for(Cardinality::new(Some(30), Some(50)))
                .last()
                .map(|p| p.user)
        );
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
