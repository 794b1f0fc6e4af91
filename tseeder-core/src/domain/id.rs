//! Typed identifiers. Each id is a UUID with its own type, so a `UserId` can never be passed where
//! a `JobId` is expected.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new random id.
            pub fn new() -> Self {
                Self(Uuid::new_v4())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

uuid_id!(
    /// Identifies a user account.
    UserId
);
uuid_id!(
    /// Identifies a login session.
    SessionId
);
uuid_id!(
    /// Identifies an API key.
    ApiKeyId
);
uuid_id!(
    /// Identifies a download job.
    JobId
);
uuid_id!(
    /// Identifies an organization (a personal organization shares its owner's user id).
    OrgId
);
uuid_id!(
    /// Identifies an invitation to an organization.
    InviteId
);
uuid_id!(
    /// Identifies a stored file of a job.
    FileId
);
uuid_id!(
    /// Identifies a message in the durable queue.
    QueueMessageId
);
