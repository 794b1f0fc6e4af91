//! The suite of the [`LabelRepository`]: each user's catalogue of categories and tags, the labels
//! of their jobs, the job list's label filter and the labels' end with their job.
//!
//! Labels belong to users and jobs, which must exist: the suite makes them through the
//! [`AccountRepository`] and the [`JobRepository`]. Two users label the same job throughout, as
//! two members of an organization would, to check that neither ever sees or touches the other's
//! labels.

use std::collections::HashMap;

use super::{audit, message, new_job, new_user, t0};
use crate::domain::{JobId, JobLabels, LabelKind, PageRequest, UserId};
use crate::error::RepoError;
use crate::ports::{AccountRepository, JobFilter, JobRepository, LabelFilter, LabelRepository};

/// A new user with an email unique to this run.
async fn user(accounts: &dyn AccountRepository, who: &str) -> UserId {
    let email = format!("labels-{who}-{}@example.com", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    accounts.insert_user(&new_user(&email)).await.unwrap().id
}

/// A new job of `user` with an infohash of its own.
async fn job(jobs: &dyn JobRepository, user: UserId) -> JobId {
    let hash = format!("{}00000000", uuid::Uuid::new_v4().simple());
    let job = new_job(user, &hash);
    jobs.create_job(&job, &message("q-labels", None, 5, t0()), &audit("job.created")).await.unwrap();
    job.id
}

fn names(names: &[&str]) -> Vec<String> {
    names.iter().map(|name| (*name).to_owned()).collect()
}

fn labelled(category: Option<&str>, tags: &[&str]) -> JobLabels {
    JobLabels { category: category.map(str::to_owned), tags: names(tags) }
}

/// One job's labels as `user` sees them (none: the default).
async fn labels_of(labels: &dyn LabelRepository, user: UserId, job: JobId) -> JobLabels {
    let mut found = labels.job_labels(user, &[job]).await.unwrap();
    assert!(found.keys().all(|id| *id == job), "only the jobs asked for: {found:?}");
    found.remove(&job).unwrap_or_default()
}

fn sorted(mut ids: Vec<JobId>) -> Vec<JobId> {
    ids.sort();
    ids
}

/// Runs the suite.
pub async fn label_repository(
    accounts: &dyn AccountRepository,
    jobs: &dyn JobRepository,
    labels: &dyn LabelRepository,
) {
    use LabelKind::{Category, Tag};
    let now = t0();
    let (a, b) = (user(accounts, "a").await, user(accounts, "b").await);
    let (j1, j2, j3) = (job(jobs, a).await, job(jobs, a).await, job(jobs, a).await);

    // The catalogue: a name is added once, listed sorted, per user and kind, case-sensitive.
    assert!(labels.create_label(a, Category, "tv", now).await.unwrap());
    assert!(!labels.create_label(a, Category, "tv", now).await.unwrap(), "already there");
    assert!(labels.create_label(a, Category, "movies/4k", now).await.unwrap());
    assert!(labels.create_label(a, Category, "Anime", now).await.unwrap());
    assert!(labels.create_label(a, Category, "TV", now).await.unwrap(), "names are case-sensitive");
    assert!(labels.create_label(a, Tag, "tv", now).await.unwrap(), "kinds are separate catalogues");
    assert_eq!(labels.list_labels(a, Category).await.unwrap(), names(&["Anime", "TV", "movies/4k", "tv"]));
    assert_eq!(labels.list_labels(a, Tag).await.unwrap(), names(&["tv"]));
    assert!(labels.list_labels(b, Category).await.unwrap().is_empty(), "another user's catalogue is their own");
    assert!(labels.create_label(b, Category, "tv", now).await.unwrap(), "the same name, another user");
    assert!(labels.create_label(b, Category, "b-only", now).await.unwrap());
    assert_eq!(labels.list_labels(a, Category).await.unwrap().len(), 4, "b's names are not a's");

    // A job's category: set, replaced (never added to), per user.
    labels.set_job_category(a, j1, Some("tv"), now).await.unwrap();
    labels.set_job_category(b, j1, Some("tv"), now).await.unwrap();
    assert_eq!(labels_of(labels, a, j1).await, labelled(Some("tv"), &[]));
    labels.set_job_category(a, j1, Some("movies/4k"), now).await.unwrap();
    assert_eq!(labels_of(labels, a, j1).await, labelled(Some("movies/4k"), &[]), "replaced");
    labels.set_job_category(a, j1, Some("movies/4k"), now).await.unwrap();
    assert_eq!(labels_of(labels, a, j1).await, labelled(Some("movies/4k"), &[]), "setting it again is harmless");
    assert_eq!(labels_of(labels, b, j1).await, labelled(Some("tv"), &[]), "b's category of the same job stays");

    // Only a category of the user's own catalogue can be set; a refusal changes nothing.
    for unknown in ["documentaries", "b-only", "Movies/4K"] {
        let refused = labels.set_job_category(a, j1, Some(unknown), now).await;
        assert!(matches!(refused, Err(RepoError::NotFound)), "{unknown}: {refused:?}");
    }
    assert!(labels.create_label(a, Tag, "hd", now).await.unwrap());
    let refused = labels.set_job_category(a, j2, Some("hd"), now).await;
    assert!(matches!(refused, Err(RepoError::NotFound)), "a tag is no category: {refused:?}");
    assert_eq!(labels_of(labels, a, j1).await, labelled(Some("movies/4k"), &[]), "the refusals changed nothing");
    assert_eq!(labels_of(labels, a, j2).await, JobLabels::default());
    assert_eq!(labels.list_labels(a, Category).await.unwrap().len(), 4, "nor the catalogue");

    // `None` clears the user's category only.
    labels.set_job_category(a, j1, None, now).await.unwrap();
    assert!(labels.job_labels(a, &[j1]).await.unwrap().is_empty(), "a job without labels is absent");
    labels.set_job_category(a, j1, None, now).await.unwrap();
    assert_eq!(labels_of(labels, b, j1).await, labelled(Some("tv"), &[]), "b's category stays");

    // Tags: added to the job and to the catalogue, each kept once.
    labels.add_job_tags(a, j1, &names(&["x265", "hd"]), now).await.unwrap();
    labels.add_job_tags(a, j1, &names(&["hd", "Remux"]), now).await.unwrap();
    labels.add_job_tags(a, j1, &[], now).await.unwrap();
    assert_eq!(labels_of(labels, a, j1).await, labelled(None, &["Remux", "hd", "x265"]), "sorted, each once");
    assert_eq!(labels.list_labels(a, Tag).await.unwrap(), names(&["Remux", "hd", "tv", "x265"]), "catalogued");
    assert_eq!(labels.list_labels(a, Category).await.unwrap().len(), 4, "tags are no categories");
    labels.add_job_tags(a, j2, &names(&["hd", "hd"]), now).await.unwrap();
    assert_eq!(labels_of(labels, a, j2).await, labelled(None, &["hd"]), "a repeated tag is kept once");
    labels.add_job_tags(b, j1, &names(&["hd"]), now).await.unwrap();
    assert_eq!(labels.list_labels(b, Tag).await.unwrap(), names(&["hd"]), "b's catalogue gets b's tags");
    assert_eq!(labels_of(labels, b, j1).await, labelled(Some("tv"), &["hd"]));
    labels.set_job_category(a, j1, Some("tv"), now).await.unwrap();
    assert_eq!(labels_of(labels, a, j1).await, labelled(Some("tv"), &["Remux", "hd", "x265"]), "tags stay");

    // Removing tags: the listed ones, then (an empty list) every one; the catalogue keeps them.
    labels.remove_job_tags(a, j1, &names(&["x265", "unknown"])).await.unwrap();
    assert_eq!(labels_of(labels, a, j1).await, labelled(Some("tv"), &["Remux", "hd"]));
    labels.remove_job_tags(a, j1, &[]).await.unwrap();
    assert_eq!(labels_of(labels, a, j1).await, labelled(Some("tv"), &[]), "every tag, not the category");
    assert_eq!(labels.list_labels(a, Tag).await.unwrap(), names(&["Remux", "hd", "tv", "x265"]), "catalogue kept");
    assert_eq!(labels_of(labels, b, j1).await, labelled(Some("tv"), &["hd"]), "b's tags stay");

    // Several jobs at once: only those asked for that have labels, only the user's.
    labels.add_job_tags(a, j3, &names(&["hd"]), now).await.unwrap();
    let expected =
        HashMap::from([(j1, labelled(Some("tv"), &[])), (j2, labelled(None, &["hd"])), (j3, labelled(None, &["hd"]))]);
    assert_eq!(labels.job_labels(a, &[j1, j2, j3, JobId::new()]).await.unwrap(), expected);
    assert_eq!(labels.job_labels(a, &[j2]).await.unwrap().len(), 1);
    assert!(labels.job_labels(a, &[]).await.unwrap().is_empty(), "no jobs, no labels");
    let expected = HashMap::from([(j1, labelled(Some("tv"), &["hd"]))]);
    assert_eq!(labels.job_labels(b, &[j1, j2, j3]).await.unwrap(), expected, "b sees b's labels only");

    // The job list: only jobs carrying that label of that user's.
    let list = |user: UserId, kind: LabelKind, name: &str, owner: Option<UserId>| {
        let filter = JobFilter {
            user_id: owner,
            label: Some(LabelFilter { user_id: user, kind, name: name.to_owned() }),
            ..JobFilter::default()
        };
        async move {
            let page = jobs.list_jobs(&filter, PageRequest::default()).await.unwrap();
            (page.total, sorted(page.items.into_iter().map(|j| j.id).collect()))
        }
    };
    assert_eq!(list(a, Tag, "hd", None).await, (2, sorted(vec![j2, j3])));
    assert_eq!(list(a, Tag, "hd", Some(a)).await, (2, sorted(vec![j2, j3])), "with the other filters");
    assert_eq!(list(a, Tag, "hd", Some(b)).await, (0, vec![]), "b owns no job");
    assert_eq!(list(a, Category, "tv", None).await, (1, vec![j1]));
    assert_eq!(list(b, Tag, "hd", None).await, (1, vec![j1]), "b's tag on a's job");
    assert_eq!(list(b, Category, "movies/4k", None).await, (0, vec![]), "a's names are not b's");
    assert_eq!(list(a, Category, "TV", None).await, (0, vec![]), "the exact name");
    assert_eq!(list(a, Category, "hd", None).await, (0, vec![]), "a tag is no category");
    assert_eq!(list(a, Tag, "Remux", None).await, (0, vec![]), "a catalogued name on no job");

    // Deleting names: from the catalogue and from every job of the user's, nobody else's.
    labels.delete_labels(a, Tag, &names(&["hd", "unknown"])).await.unwrap();
    assert_eq!(labels.list_labels(a, Tag).await.unwrap(), names(&["Remux", "tv", "x265"]));
    let expected = HashMap::from([(j1, labelled(Some("tv"), &[]))]);
    assert_eq!(labels.job_labels(a, &[j1, j2, j3]).await.unwrap(), expected, "gone from the jobs");
    assert_eq!(list(a, Tag, "hd", None).await, (0, vec![]));
    assert_eq!(labels.list_labels(b, Tag).await.unwrap(), names(&["hd"]), "b's catalogue stays");
    assert_eq!(labels_of(labels, b, j1).await, labelled(Some("tv"), &["hd"]), "b's labels stay");
    labels.delete_labels(a, Tag, &[]).await.unwrap();
    assert_eq!(labels.list_labels(a, Tag).await.unwrap().len(), 3, "no names, nothing deleted");
    labels.delete_labels(a, Category, &names(&["tv"])).await.unwrap();
    assert_eq!(labels.list_labels(a, Category).await.unwrap(), names(&["Anime", "TV", "movies/4k"]));
    assert!(labels.job_labels(a, &[j1]).await.unwrap().is_empty(), "the category is gone from the job");
    assert_eq!(labels.list_labels(a, Tag).await.unwrap().len(), 3, "a tag of the same name stays");
    assert!(labels.list_labels(b, Category).await.unwrap().contains(&"tv".to_owned()), "b's category stays");
    assert_eq!(labels_of(labels, b, j1).await, labelled(Some("tv"), &["hd"]));
    let refused = labels.set_job_category(a, j1, Some("tv"), now).await;
    assert!(matches!(refused, Err(RepoError::NotFound)), "a deleted category cannot be set: {refused:?}");

    // Concurrent writers of one job's category: each replaces, one category remains.
    let many: Vec<String> = (0..20).map(|i| format!("c{i:02}")).collect();
    for name in &many {
        assert!(labels.create_label(a, Category, name, now).await.unwrap());
    }
    let sets = many.iter().map(|name| labels.set_job_category(a, j2, Some(name.as_str()), now));
    for result in futures::future::join_all(sets).await {
        result.unwrap();
    }
    let category = labels_of(labels, a, j2).await.category.unwrap();
    assert!(many.contains(&category), "{category}");
    let mut carried = 0;
    for name in &many {
        carried += list(a, Category, name.as_str(), None).await.0;
    }
    assert_eq!(carried, 1, "exactly one category");

    // Deleting a job removes its labels, every user's; the catalogues keep the names.
    labels.add_job_tags(a, j1, &names(&["Remux"]), now).await.unwrap();
    jobs.delete_job(j1, &audit("job.deleted")).await.unwrap();
    assert!(labels.job_labels(a, &[j1]).await.unwrap().is_empty());
    assert!(labels.job_labels(b, &[j1]).await.unwrap().is_empty(), "b's labels go with the job");
    assert_eq!(list(b, Tag, "hd", None).await, (0, vec![]));
    assert_eq!(labels.list_labels(b, Tag).await.unwrap(), names(&["hd"]), "the catalogue keeps the name");
    assert!(labels.list_labels(a, Tag).await.unwrap().contains(&"Remux".to_owned()));
    jobs.delete_job(j2, &audit("job.deleted")).await.unwrap();
    assert!(labels.job_labels(a, &[j2]).await.unwrap().is_empty());
    assert_eq!(list(a, Category, category.as_str(), None).await, (0, vec![]));
    assert_eq!(labels.job_labels(a, &[j3]).await.unwrap().len(), 0, "j3 lost its only tag with `hd`");
}
