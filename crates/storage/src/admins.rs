//! [`AdminRepository`] on the `admins` table: the admins added with `bot admin add`. Those of
//! the environment (`ADMIN_IDS`) are never stored, so removing a row cannot take their right
//! away.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use vitrina_cards::{RepositoryResult, UserId};
use vitrina_moderation::AdminRepository;

use crate::pool::Db;
use crate::schema::admins;

impl AdminRepository for Db {
    async fn admins(&self) -> RepositoryResult<Vec<UserId>> {
        let ids: Vec<i64> = reading!(self, |conn| {
            Ok(admins::table
                .select(admins::user_id)
                .order(admins::user_id.asc())
                .load(&mut *conn)
                .await?)
        })?;
        Ok(ids.into_iter().map(UserId).collect())
    }

    async fn add_admin(&self, user: UserId) -> RepositoryResult<bool> {
        let added = with_connection!(self, |conn| {
            Ok(diesel::insert_into(admins::table)
                .values(admins::user_id.eq(user.get()))
                .on_conflict_do_nothing()
                .execute(&mut *conn)
                .await?)
        })?;
        Ok(added == 1)
    }

    async fn remove_admin(&self, user: UserId) -> RepositoryResult<bool> {
        let removed = with_connection!(self, |conn| {
            Ok(
                diesel::delete(admins::table.filter(admins::user_id.eq(user.get())))
                    .execute(&mut *conn)
                    .await?,
            )
        })?;
        Ok(removed == 1)
    }
}
