-- 0038-auth-hardening: a session's CSRF token is now derived from its secret
-- cookie value and only its hash is stored (sessions.csrf holds that hash),
-- so sessions made before keep a plain token and end here (their users sign
-- in again). API tokens of accounts that are disabled now die with the
-- account (auth.c kk_user_set_disabled); tokens of accounts disabled before
-- are revoked here so enabling the account again does not revive them.

DELETE FROM sessions;
UPDATE api_tokens SET revoked_at = CAST(strftime('%s', 'now') AS INTEGER)
 WHERE revoked_at IS NULL AND user_id IN (SELECT id FROM users WHERE disabled = 1);
