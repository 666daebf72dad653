//! Who spends what: executions land on (repository, user) pairs with Zipf-like weights,
//! so a few heavy hitters carry most of the cost, and each execution costs what its
//! agent type typically costs, with a log-normal spread.

use rand::rngs::StdRng;

use super::dist::{Weighted, lognormal};
use crate::catalog::orchestrator::{AGENT_COST_USD, Cardinality, Pair, pairs_for};

/// Spread of one execution's cost around its typical value.
const COST_SIGMA: f64 = 0.5;

/// The pairs and how to pick one.
#[derive(Debug, Clone)]
pub struct CostModel {
    pairs: Vec<Pair>,
    picker: Weighted,
}

impl Default for CostModel {
    fn default() -> Self {
        Self::new(Cardinality::default())
    }
}

impl CostModel {
    /// The pairs of the catalog and of the synthetic repositories and users.
    pub fn new(cardinality: Cardinality) -> Self {
        let pairs = pairs_for(cardinality);
        let picker = Weighted::new(pairs.iter().map(|p| p.weight));
        Self { pairs, picker }
    }

    /// Every pair, in catalog order.
    pub fn pairs(&self) -> &[Pair] {
        &self.pairs
    }

    /// Index of the pair the next execution belongs to.
    pub fn pick(&self, rng: &mut StdRng) -> usize {
        self.picker.pick(rng)
    }

    /// Indices of the heaviest pairs, heaviest first.
    pub fn heavy_hitters(&self, n: usize) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.pairs.len()).collect();
        order.sort_by(|&a, &b| self.pairs[b].weight.total_cmp(&self.pairs[a].weight));
        order.truncate(n);
        order
    }

    /// USD cost of one execution of `agent_type` (an index of the agent catalog).
    pub fn execution_cost(rng: &mut StdRng, agent_type: usize, multiplier: f64) -> f64 {
        let typical = AGENT_COST_USD.get(agent_type).copied().unwrap_or(0.003);
        // Divide out the log-normal mean so `typical` stays the average cost.
        let mean_factor = (COST_SIGMA * COST_SIGMA / 2.0).exp();
        lognormal(rng, typical / mean_factor, COST_SIGMA) * multiplier.max(0.0)
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;
    use crate::catalog::orchestrator::AGENT_MIX;
    use crate::sim::orchestrator::PEAK_EXECUTIONS_PER_SEC;

    #[test]
    fn heavy_hitters_dominate_and_the_top_pair_stays_under_the_alert_until_a_spike() {
        let model = CostModel::default();
        let mut rng = StdRng::seed_from_u64(11);
        let agents = Weighted::new(AGENT_MIX);
        let n = 200_000;
        let mut spend = vec![0.0; model.pairs().len()];
        for _ in 0..n {
            let pair = model.pick(&mut rng);
            let agent = agents.pick(&mut rng);
            spend[pair] += CostModel::execution_cost(&mut rng, agent, 1.0);
        }
        let total: f64 = spend.iter().sum();
        let top = model.heavy_hitters(3);
        let top_share: f64 = top.iter().map(|&i| spend[i]).sum::<f64>() / total;
        assert!(top_share > 0.25, "top three spend {top_share}");

        // At the daily peak, the heaviest pair costs a few dollars an hour: under the
        // seed's $10/hour alert, which a 10x spike crosses.
        let per_execution = total / f64::from(n);
        let top_hourly = PEAK_EXECUTIONS_PER_SEC * 3600.0 * per_execution * spend[top[0]] / total;
        assert!((2.0..8.0).contains(&top_hourly), "top pair ${top_hourly}/h");
        assert!(top_hourly * 10.0 > 10.0);
    }

    #[test]
    fn cost_scales_with_the_multiplier() {
        let mut a = StdRng::seed_from_u64(3);
        let mut b = StdRng::seed_from_u64(3);
        let one = CostModel::execution_cost(&mut a, 3, 1.0);
        let thirty = CostModel::execution_cost(&mut b, 3, 30.0);
        assert!((thirty / one - 30.0).abs() < 1e-9);
    }
}
