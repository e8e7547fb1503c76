#!/bin/sh
# t6004 — page language: ?lang= first, then the lang cookie, then
# Accept-Language; Japanese by default.
. "$(dirname "$0")/lib.sh"
start_server
api GET /login
assert_contains "$BODY" '<html lang="ja">' "Japanese by default"
assert_contains "$BODY" "ログイン" "Japanese text by default"
api GET /login -H 'Accept-Language: en-US,en;q=0.9'
assert_contains "$BODY" '<html lang="en">' "Accept-Language en"
assert_contains "$BODY" ">Sign in<" "English text"
assert_not_contains "$BODY" "ログイン" "no Japanese in the English page"
api GET /login -H 'Accept-Language: fr;q=1, ja;q=0.5, en;q=0.4'
assert_contains "$BODY" '<html lang="ja">' "Accept-Language picks the best supported"
api GET '/login?lang=en' -H 'Accept-Language: ja'
assert_contains "$BODY" '<html lang="en">' "?lang= beats Accept-Language"
assert_contains "$(header_all Set-Cookie)" "lang=en;" "?lang= sets the lang cookie"
api GET /login -b 'lang=en' -H 'Accept-Language: ja'
assert_contains "$BODY" '<html lang="en">' "cookie beats Accept-Language"
api GET '/login?lang=ja' -b 'lang=en'
assert_contains "$BODY" '<html lang="ja">' "?lang= beats the cookie"
api GET '/login?lang=xx' -b 'lang=en'
assert_contains "$BODY" '<html lang="en">' "unsupported ?lang= is ignored"
api GET /no/such/page
assert_contains "$BODY" "見つかりません" "error pages translated (ja)"
api GET /no/such/page -H 'Accept-Language: en'
assert_contains "$BODY" "Not found" "error pages translated (en)"
api GET /api/v1/me -H 'Accept-Language: ja'
assert_contains "$BODY" '"code":"unauthenticated"' "API errors keep stable codes"
done_testing
