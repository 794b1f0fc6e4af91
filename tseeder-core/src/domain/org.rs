//! Organizations: who belongs to which, with which role, and the invitations to join.
//!
//! Every user owns one personal organization, created with the account; its id is the user's
//! id, so it never needs a lookup to find. Other organizations are created by users, who
//! become their first owner, and grow by invitation.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{InviteId, OrgId, UserId};

/// A member's role in an organization. Ordered: `Member < Admin < Owner`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgRole {
    /// Submits jobs and sees their own.
    Member,
    /// Sees every job, manages members and invites (never owners).
    Admin,
    /// Everything, including ownership, deletion and billing.
    Owner,
}

impl OrgRole {
    /// Every role, lowest first.
    pub const ALL: [OrgRole; 3] = [Self::Member, Self::Admin, Self::Owner];

    /// The stored and API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Admin => "admin",
            Self::Owner => "owner",
        }
    }
}

impl fmt::Display for OrgRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OrgRole {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| format!("unknown organization role {s:?}"))
    }
}

/// An organization's slug: 3 to 40 characters of `a-z`, `0-9` and `-`, starting and ending
/// with a letter or digit. It names the organization in URLs and in the `X-Org-Slug` header and
/// never changes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrgSlug(String);

/// Why a slug was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a slug is 3 to 40 characters of a-z, 0-9 and '-', starting and ending with a letter or digit")]
pub struct InvalidSlug;

impl OrgSlug {
    /// Checks a slug (exactly as given: no lowercasing).
    pub fn parse(s: &str) -> Result<Self, InvalidSlug> {
        let ok = (3..=40).contains(&s.len())
            && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--");
        if ok { Ok(Self(s.to_owned())) } else { Err(InvalidSlug) }
    }

    /// A slug made from a display name: lowercased, runs of other characters turned into one
    /// `-`, cut to 40 characters. `None` when too little of the name is usable.
    pub fn from_name(name: &str) -> Option<Self> {
        let mut slug = String::new();
        for c in name.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                slug.push(c);
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        slug.truncate(40);
        Self::parse(slug.trim_end_matches('-')).ok()
    }

    /// The slug of a user's personal organization: `u-` and the first 12 hex digits of the
    /// user id.
    pub fn personal(user: UserId) -> Self {
        Self(format!("u-{}", &user.0.simple().to_string()[..12]))
    }

    /// The slug.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrgSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for OrgSlug {
    type Error = InvalidSlug;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<OrgSlug> for String {
    fn from(slug: OrgSlug) -> Self {
        slug.0
    }
}

/// The display name of every personal organization when created.
pub const PERSONAL_ORG_NAME: &str = "Personal";

/// An organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organization {
    /// The id (a personal organization's id is its owner's user id).
    pub id: OrgId,
    /// Display name, 1 to 100 printable characters.
    pub name: String,
    /// The unique, unchanging slug.
    pub slug: OrgSlug,
    /// Whether this is a user's personal organization (it takes no other members and cannot
    /// be deleted apart from its account).
    pub personal: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

impl Organization {
    /// The personal organization's id of `user`.
    pub fn personal_id(user: UserId) -> OrgId {
        OrgId(user.0)
    }
}

/// An organization to create, with its first owner.
#[derive(Debug, Clone)]
pub struct NewOrganization {
    /// The id.
    pub id: OrgId,
    /// Display name.
    pub name: String,
    /// Slug.
    pub slug: OrgSlug,
    /// Who creates it and becomes its owner.
    pub owner: UserId,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

/// One organization as seen by one of its members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// The organization.
    pub org: Organization,
    /// The member's role in it.
    pub role: OrgRole,
    /// When they joined.
    pub joined_at: DateTime<Utc>,
}

/// A member of an organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The user.
    pub user_id: UserId,
    /// Their email.
    pub email: String,
    /// Their role here.
    pub role: OrgRole,
    /// When they joined.
    pub joined_at: DateTime<Utc>,
}

/// An organization with its size, for the operators' list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgSummary {
    /// The organization.
    pub org: Organization,
    /// How many members it has.
    pub members: u64,
    /// Its longest-standing owner, whose plan it runs on.
    pub owner_id: UserId,
    /// The email of that owner.
    pub owner_email: String,
}

/// An invitation to join an organization, sent by email. The token is only in the email's
/// link; the database keeps its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invite {
    /// The id.
    pub id: InviteId,
    /// Which organization it joins.
    pub org_id: OrgId,
    /// The (lowercased) email it was sent to; only an account with this verified email may
    /// accept it.
    pub email: String,
    /// The role it grants (`member` or `admin`; owners are made by promotion or transfer).
    pub role: OrgRole,
    /// Hex SHA-256 of the current token (a resend replaces it).
    pub token_hash: String,
    /// Who sent it.
    pub invited_by: UserId,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was last sent (created or resent).
    pub sent_at: DateTime<Utc>,
    /// When the current token stops working.
    pub expires_at: DateTime<Utc>,
    /// When it was accepted, if it was.
    pub accepted_at: Option<DateTime<Utc>>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl Invite {
    /// Whether it can still be accepted at `now`: neither accepted, revoked nor expired.
    pub fn is_pending(&self, now: DateTime<Utc>) -> bool {
        self.accepted_at.is_none() && self.revoked_at.is_none() && self.expires_at > now
    }
}

/// An email verification link sent at registration (or on request). The token is only in the
/// email's link; the database keeps its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailVerification {
    /// Hex SHA-256 of the token.
    pub token_hash: String,
    /// Whose address it verifies.
    pub user_id: UserId,
    /// The address it verifies: it only counts while the account still has this address.
    pub email: String,
    /// When it was sent.
    pub created_at: DateTime<Utc>,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_checked() {
        for good in ["abc", "acme-corp", "a1-b2", &"a".repeat(40)] {
            assert!(OrgSlug::parse(good).is_ok(), "{good}");
        }
        for bad in ["ab", "-abc", "abc-", "a--b", "Acme", "ac me", "über", &"a".repeat(41), ""] {
            assert!(OrgSlug::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn slugs_are_made_from_names() {
        assert_eq!(OrgSlug::from_name("Acme Corp.").unwrap().as_str(), "acme-corp");
        assert_eq!(OrgSlug::from_name("  The  A-Team!! ").unwrap().as_str(), "the-a-team");
        assert!(OrgSlug::from_name("!!").is_none());
        assert!(OrgSlug::from_name("x").is_none());
        let long = OrgSlug::from_name(&"ab ".repeat(30)).unwrap();
        assert!(long.as_str().len() <= 40 && !long.as_str().ends_with('-'));
    }

    #[test]
    fn personal_slugs_are_valid_and_stable() {
        let user = UserId::new();
        let slug = OrgSlug::personal(user);
        assert_eq!(OrgSlug::parse(slug.as_str()).unwrap(), slug);
        assert_eq!(slug, OrgSlug::personal(user));
        assert_eq!(Organization::personal_id(user).0, user.0);
    }

    #[test]
    fn roles_are_ordered_and_named() {
        assert!(OrgRole::Member < OrgRole::Admin && OrgRole::Admin < OrgRole::Owner);
        for role in OrgRole::ALL {
            assert_eq!(role.as_str().parse::<OrgRole>().unwrap(), role);
        }
    }
}
