//! The suite of the [`BandwidthMeter`]: counters start at zero, add up per organization, month
//! and direction, lose nothing to concurrent writers, and saturate instead of wrapping.
//!
//! Counters belong to organizations, which must exist: the suite makes users through the
//! [`AccountRepository`] and uses their personal organizations.

use chrono::{TimeZone, Utc};

use super::new_user;
use crate::domain::{Bandwidth, Month, OrgId, Organization, TransferKind};
use crate::ports::{AccountRepository, BandwidthMeter};

async fn org(accounts: &dyn AccountRepository, who: &str) -> OrgId {
    let email = format!("meter-{who}-{}@example.com", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    Organization::personal_id(accounts.insert_user(&new_user(&email)).await.unwrap().id)
}

fn month(year: i32, month: u32) -> Month {
    Month::of(Utc.with_ymd_and_hms(year, month, 15, 12, 0, 0).single().unwrap())
}

/// Runs the suite.
pub async fn bandwidth_meter(accounts: &dyn AccountRepository, meter: &dyn BandwidthMeter) {
    let (a, b) = (org(accounts, "a").await, org(accounts, "b").await);
    let (november, december) = (month(2026, 11), month(2026, 12));
    let zero = |month| Bandwidth { month, downloaded_bytes: 0, served_bytes: 0 };

    // Nothing recorded reads as zeros, for a known organization and for the month asked.
    assert_eq!(meter.bandwidth(a, december).await.unwrap(), zero(december));

    // Additions accumulate per direction.
    meter.record(a, december, TransferKind::Downloaded, 1_000).await.unwrap();
    meter.record(a, december, TransferKind::Downloaded, 24).await.unwrap();
    meter.record(a, december, TransferKind::Served, 7).await.unwrap();
    meter.record(a, december, TransferKind::Served, 0).await.unwrap();
    let got = meter.bandwidth(a, december).await.unwrap();
    assert_eq!(got, Bandwidth { month: december, downloaded_bytes: 1_024, served_bytes: 7 });
    assert_eq!(got.used(), 1_031);

    // Months and organizations are independent.
    assert_eq!(meter.bandwidth(a, november).await.unwrap(), zero(november), "another month starts at zero");
    assert_eq!(meter.bandwidth(b, december).await.unwrap(), zero(december), "another organization sees nothing");
    meter.record(a, november, TransferKind::Served, 5).await.unwrap();
    assert_eq!(meter.bandwidth(a, december).await.unwrap().served_bytes, 7, "an older month keeps its own count");
    assert_eq!(meter.bandwidth(a, november).await.unwrap().served_bytes, 5);

    // Concurrent writers all count, the first writes of a month included.
    let january = month(2027, 1);
    let writes = (0..40u64).map(|i| {
        let kind = if i % 2 == 0 { TransferKind::Downloaded } else { TransferKind::Served };
        meter.record(b, january, kind, i + 1)
    });
    for result in futures::future::join_all(writes).await {
        result.unwrap();
    }
    let got = meter.bandwidth(b, january).await.unwrap();
    let (odd, even): (Vec<u64>, Vec<u64>) = (1..=40u64).partition(|n| n % 2 == 1);
    assert_eq!(
        (got.downloaded_bytes, got.served_bytes),
        (odd.iter().sum(), even.iter().sum()),
        "no concurrent addition is lost"
    );

    // Counters saturate at the largest value a database column holds.
    let far = month(2030, 6);
    meter.record(b, far, TransferKind::Served, u64::MAX).await.unwrap();
    meter.record(b, far, TransferKind::Served, u64::MAX).await.unwrap();
    meter.record(b, far, TransferKind::Downloaded, i64::MAX as u64 - 1).await.unwrap();
    meter.record(b, far, TransferKind::Downloaded, 10).await.unwrap();
    let got = meter.bandwidth(b, far).await.unwrap();
    assert_eq!((got.served_bytes, got.downloaded_bytes), (i64::MAX as u64, i64::MAX as u64));
}
