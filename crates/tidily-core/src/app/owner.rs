//! The account a use case acts for.

/// The account a use case acts for and whose rows it may touch. Only the resolvers of this
/// module's parent can make one: from a session cookie, a bearer token, a fresh sign-up or
/// log-in, or an operator naming an account on the command line. A surface therefore cannot
/// act for an account it did not authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Owner(i64);

impl Owner {
    /// Only `app` mints owners.
    pub(in crate::app) fn new(user_id: i64) -> Owner {
        Owner(user_id)
    }

    /// The account's ID, for the store's owner-scoped queries.
    pub fn id(self) -> i64 {
        self.0
    }
}
