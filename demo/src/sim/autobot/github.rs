//! GitHub API calls, rate limits, commits, pull requests and issues.

use rand::rngs::StdRng;

use crate::catalog::autobot::{GITHUB_OPERATIONS, GITHUB_REPOSITORIES, GITHUB_RESOURCES};
use crate::metrics::autobot::AutobotMetrics;
use crate::sim::Tick;
use crate::sim::dist::{Weighted, chance, long_tail, poisson};

/// API calls per second at the daily peak.
const PEAK_PER_SEC: f64 = 1.2;
/// Requests per hour per resource.
const LIMIT: f64 = 5000.0;
/// Rate-limit window, seconds.
const WINDOW_SECS: f64 = 3600.0;
/// Where a drained limit settles.
const DRAINED: f64 = 40.0;

#[derive(Debug, Clone)]
pub struct GitHub {
    mix: Weighted,
    repos: Weighted,
    remaining: [f64; 2],
    window_ends: f64,
    draining: bool,
}

impl GitHub {
    pub fn new() -> Self {
        Self {
            mix: Weighted::new(GITHUB_OPERATIONS.iter().map(|o| o.1)),
            repos: Weighted::new([0.3, 0.2, 0.15, 0.15, 0.1, 0.1]),
            remaining: [LIMIT; 2],
            window_ends: WINDOW_SECS,
            draining: false,
        }
    }

    pub fn step(&mut self, tick: &Tick, rng: &mut StdRng, m: &AutobotMetrics) {
        let mut used = [0.0; 2];
        for _ in 0..poisson(rng, PEAK_PER_SEC * tick.load * tick.dt) {
            let (op, _, median) = GITHUB_OPERATIONS[self.mix.pick(rng)];
            let ok = !chance(rng, 0.015);
            let status = if ok { "success" } else { "failed" };
            m.github_operations
                .get_or_create(&[("operation", op), ("status", status)])
                .inc();
            m.github_api_duration
                .get_or_create(&[("operation", op)])
                .observe(long_tail(rng, median, 0.5, 0.01));
            // Listing goes through GraphQL, everything else through the REST core.
            used[usize::from(op == "list_issues")] += 1.0;
            let repo = GITHUB_REPOSITORIES[self.repos.pick(rng)];
            let pr_status = if ok { "success" } else { "failed" };
            match op {
                "create_commit" => {
                    let commit = if ok { "created" } else { "failed" };
                    m.github_commits
                        .get_or_create(&[("repository", repo), ("status", commit)])
                        .inc();
                }
                "create_pull_request" | "merge_pull_request" | "create_review_comment" => {
                    let action = match op {
                        "create_pull_request" => "create",
                        "merge_pull_request" if chance(rng, 0.1) => "close",
                        "merge_pull_request" => "merge",
                        _ => "review",
                    };
                    m.github_pull_requests
                        .get_or_create(&[
                            ("repository", repo),
                            ("action", action),
                            ("status", pr_status),
                        ])
                        .inc();
                }
                "create_issue" | "update_issue" => {
                    let action = match op {
                        "create_issue" => "create",
                        _ if chance(rng, 0.4) => "comment",
                        _ if chance(rng, 0.2) => "close",
                        _ => "update",
                    };
                    m.github_issues
                        .get_or_create(&[
                            ("repository", repo),
                            ("action", action),
                            ("status", pr_status),
                        ])
                        .inc();
                }
                _ => {}
            }
        }

        // A drain (a runaway loop of API calls) burns the core limit down to a few
        // dozen; the window's reset ends it.
        let drain = tick.effects.github_drain;
        if drain > 0.0 {
            self.draining = true;
            used[0] += (self.remaining[0] - DRAINED).max(0.0) * (0.04 * drain * tick.dt).min(1.0);
        } else if self.draining {
            self.draining = false;
            self.window_ends = tick.t;
        }
        if tick.t >= self.window_ends {
            self.remaining = [LIMIT; 2];
            self.window_ends = tick.t + WINDOW_SECS;
        }
        for (i, resource) in GITHUB_RESOURCES.iter().enumerate() {
            self.remaining[i] = (self.remaining[i] - used[i]).max(0.0);
            m.github_rate_limit
                .get_or_create(&[("resource_type", resource)])
                .set(self.remaining[i].floor());
        }
    }
}
