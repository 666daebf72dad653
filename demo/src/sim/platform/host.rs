//! The host the platform runs on: CPU time, memory, filesystems (node_exporter style).

use rand::rngs::StdRng;

use crate::catalog::platform::{CPU_MODES, CPUS, FILESYSTEMS, MEMORY_TOTAL};
use crate::metrics::platform::PlatformMetrics;
use crate::sim::Tick;
use crate::sim::dist::normal;
use crate::sim::smooth::Level;

/// CPU utilisation at the highest pressure.
const HOT_CPU: f64 = 0.97;
/// Memory in use at the highest pressure.
const HOT_MEMORY: f64 = 0.95;
/// Disk use when a filesystem is full.
const FULL_DISK: f64 = 0.955;

#[derive(Debug, Clone)]
pub struct Host {
    cpu: Level,
    memory: Level,
    disks: Vec<Level>,
}

impl Host {
    pub fn new() -> Self {
        Self {
            cpu: Level::new(0.3),
            memory: Level::new(0.6),
            disks: FILESYSTEMS.iter().map(|f| Level::new(f.4)).collect(),
        }
    }

    pub fn step(&mut self, tick: &Tick, rng: &mut StdRng, m: &PlatformMetrics) {
        let pressure = tick.effects.host_pressure;

        let normal_cpu = 0.12 + 0.4 * tick.load;
        let target = normal_cpu + (HOT_CPU - normal_cpu) * pressure;
        let busy = self
            .cpu
            .step(rng, target, tick.dt, 30.0, 0.01)
            .clamp(0.01, 0.99);
        for cpu in CPUS {
            let share = (busy * (1.0 + 0.05 * normal(rng))).clamp(0.0, 1.0);
            m.cpu_seconds
                .get_or_create(&[("cpu", cpu), ("mode", "idle")])
                .inc_by(tick.dt * (1.0 - share));
            for (mode, part) in CPU_MODES {
                m.cpu_seconds
                    .get_or_create(&[("cpu", cpu), ("mode", mode)])
                    .inc_by(tick.dt * share * part);
            }
        }

        let normal_memory = 0.55 + 0.1 * tick.load;
        let target = normal_memory + (HOT_MEMORY - normal_memory) * pressure;
        let used = self
            .memory
            .step(rng, target, tick.dt, 40.0, 0.002)
            .clamp(0.05, 0.99);
        m.mem_total.set(MEMORY_TOTAL);
        m.mem_available.set((MEMORY_TOTAL * (1.0 - used)).round());

        for (i, (mountpoint, device, fstype, size, normal_use)) in FILESYSTEMS.iter().enumerate() {
            // A filling disk creeps up over minutes; cleanup brings it back afterwards.
            let (target, tau) = match tick.effects.disk_fill {
                Some((d, k)) if d == i && k > 0.0 => {
                    (normal_use + (FULL_DISK - normal_use) * k, 90.0)
                }
                _ => (*normal_use, 120.0),
            };
            let used = self.disks[i]
                .step(rng, target, tick.dt, tau, 0.0)
                .clamp(0.0, 0.999);
            let labels = [
                ("device", *device),
                ("fstype", *fstype),
                ("mountpoint", *mountpoint),
            ];
            m.fs_size.get_or_create(&labels).set(*size);
            m.fs_avail
                .get_or_create(&labels)
                .set((size * (1.0 - used)).round());
        }
    }
}
