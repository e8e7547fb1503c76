/*
 * u-incident.c — incident reports' normalisers and document parser: one
 * text per URL, domain and address, defanged forms read back, bad values
 * refused, each error naming its field.
 */
#include "testutil.h"
#include "incident/incident.h"
#include <string.h>

static void url_ok(const char *in, const char *want, const char *want_host)
{
	char out[KK_INCIDENT_VALUE_MAX], host[300];
	int rc = kk_incident_norm_url(in, out, sizeof(out), host, sizeof(host));
	if (rc)
		print_error("url %s refused\n", in);
	assert_int_equal(rc, 0);
	assert_string_equal(out, want);
	assert_string_equal(host, want_host);
}

static void test_urls(void **state)
{
	(void)state;
	url_ok("HTTPS://Login.Example.COM:443/a?b=1#frag", "https://login.example.com/a?b=1", "login.example.com");
	url_ok("hxxp://evil[.]example", "http://evil.example/", "evil.example");
	url_ok("http://user:pw@192.0.2.1:8080?q", "http://192.0.2.1:8080/?q", "192.0.2.1");
	url_ok("http://[2001:DB8::0:1]:80/x", "http://[2001:db8::1]/x", "2001:db8::1");
	url_ok("  https://a.example(.)jp/p  ", "https://a.example.jp/p", "a.example.jp");
	char out[KK_INCIDENT_VALUE_MAX];
	const char *bad[] = {"ftp://a.example/", "javascript:alert(1)", "http://", "http:///x", "http://a b.example/",
			     "http://a.example:0/", "http://a.example:99999/", "http://-a.example/", "http://localhost/",
			     "http://a.example/<script>", "http://[::1/", "http://a..example/"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (!kk_incident_norm_url(bad[i], out, sizeof(out), NULL, 0))
			print_error("url %s accepted as %s\n", bad[i], out);
		assert_int_equal(kk_incident_norm_url(bad[i], out, sizeof(out), NULL, 0), KK_EINVAL);
	}
}

static void test_domains_ips(void **state)
{
	(void)state;
	char out[300];
	assert_int_equal(kk_incident_norm_domain("WWW.Example.JP.", out, sizeof(out)), 0);
	assert_string_equal(out, "www.example.jp");
	assert_int_equal(kk_incident_norm_domain("evil[.]example", out, sizeof(out)), 0);
	assert_string_equal(out, "evil.example");
	const char *bad[] = {"example", "-a.example", "a-.example", "a..example", "192.0.2.1", "a.exa mple", ""};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(kk_incident_norm_domain(bad[i], out, sizeof(out)), KK_EINVAL);
	char long_label[80];
	memset(long_label, 'a', 64);
	strcpy(long_label + 64, ".jp");
	assert_int_equal(kk_incident_norm_domain(long_label, out, sizeof(out)), KK_EINVAL);
	assert_int_equal(kk_incident_norm_ip("2001:DB8:0:0:0:0:0:1", out, sizeof(out)), 0);
	assert_string_equal(out, "2001:db8::1");
	assert_int_equal(kk_incident_norm_ip("198.51.100[.]7", out, sizeof(out)), 0);
	assert_string_equal(out, "198.51.100.7");
	assert_int_equal(kk_incident_norm_ip("192.0.2.256", out, sizeof(out)), KK_EINVAL);
	assert_int_equal(kk_incident_norm_ip("example.jp", out, sizeof(out)), KK_EINVAL);
}

static void parse_err(const char *json, const char *field)
{
	struct kk_incident_input in;
	struct kk_diag d;
	kk_diag_clear(&d);
	int rc = kk_incident_parse(json, strlen(json), &in, &d);
	if (!rc) {
		rc = kk_incident_validate(NULL, &in, &d);
		kk_incident_input_release(&in);
	}
	assert_true(rc < 0);
	assert_string_equal(d.where, field);
}

static void test_parse(void **state)
{
	(void)state;
	const char *j = "{\"category\":\"phishing\",\"tlp\":\"WHITE\",\"summary\":\" s \",\"reporter\":{\"email\":"
			"\"a@example.jp\"},\"urls\":[\"http://A.example/x\",\"http://a.example/x\"],\"ips\":[\"192.0.2.1\"]}";
	struct kk_incident_input in;
	struct kk_diag d;
	kk_diag_clear(&d);
	assert_int_equal(kk_incident_parse(j, strlen(j), &in, &d), 0);
	assert_int_equal(in.nind, 3); /* url, its host as a domain, the ip; the same URL twice counts once */
	assert_string_equal(in.summary, "s ");
	assert_string_equal(in.tlp, "clear"); /* TLP:WHITE is TLP:CLEAR (TLP 2.0) */
	kk_incident_input_release(&in);
	parse_err("{\"summary\":\"s\",\"reporter\":{\"email\":\"a@example.jp\"}}", "category");
	parse_err("{\"category\":\"scan\",\"reporter\":{\"email\":\"a@example.jp\"}}", "summary");
	parse_err("{\"category\":\"scan\",\"summary\":\"s\",\"tlp\":\"purple\",\"reporter\":{\"email\":\"a@example.jp\"}}",
		  "tlp");
	parse_err("{\"category\":\"scan\",\"summary\":\"s\",\"reporter\":{\"email\":\"a@example.jp\",\"x\":1}}",
		  "reporter");
	parse_err("{\"category\":\"scan\",\"summary\":\"s\",\"urls\":\"http://a.example/\"}", "urls");
	parse_err("{\"category\":\"scan\",\"summary\":\"s\",\"ips\":[\"1.2.3\"]}", "ips[0]");
	parse_err("{\"category\":\"scan\",\"summary\":\"s\",\"received_at\":\"yesterday\"}", "received_at");
	parse_err("[1]", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_urls),
	    cmocka_unit_test(test_domains_ips),
	    cmocka_unit_test(test_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
