/*
 * cmd_version.c — `keikai version compare A B` and `keikai version in V`
 * (NVD-style range check) over the schemes of std/version.h.
 */
#include "cli/cli.h"
#include "std/version.h"
#include <stdio.h>
#include <string.h>

static int scheme_opt(const char *cmd, const char *name, enum kk_version_scheme *s)
{
	if (kk_version_scheme_parse(name, s))
		return cli_usage(cmd, "unknown scheme '%s'; use generic, semver, deb, rpm, pypi or maven", name);
	return 0;
}

int cmd_version_compare(struct kk_cli *cli, int argc, char **argv)
{
	(void)cli;
	const char *pos[2] = {NULL, NULL}, *sname = "generic";
	int npos = 0;
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(argc, argv, &i, "--scheme", &sname);
		if (r < 0)
			return cli_usage("version compare", "--scheme needs a value");
		if (r)
			continue;
		if (npos == 2 || (argv[i][0] == '-' && argv[i][1] == '-'))
			return cli_usage("version compare", "unexpected argument '%s'", argv[i]);
		pos[npos++] = argv[i];
	}
	if (npos != 2)
		return cli_usage("version compare", "give two versions A and B");
	enum kk_version_scheme s;
	if (scheme_opt("version compare", sname, &s))
		return KK_EXIT_USAGE;
	struct kk_diag d;
	kk_diag_clear(&d);
	int c;
	if (kk_version_compare(s, pos[0], pos[1], &c, &d))
		return cli_error("version compare: %s", d.msg);
	printf("%c\n", "<=>"[c + 1]);
	return KK_EXIT_OK;
}

#define MAX_EVENTS 64

int cmd_version_in(struct kk_cli *cli, int argc, char **argv)
{
	(void)cli;
	struct kk_version_range r = {0};
	const char *v = NULL, *sname = "generic";
	static const char *const names[] = {"--scheme", "--exact", "--start-including", "--start-excluding",
					    "--end-including", "--end-excluding"};
	const char **slots[] = {&sname, &r.exact, &r.start_including, &r.start_excluding, &r.end_including,
				&r.end_excluding};
	/* OSV events, kept in the order given */
	static const char *const osv_names[] = {"--introduced", "--fixed", "--last-affected", "--limit"};
	static const enum kk_osv_event_kind osv_kinds[] = {KK_OSV_INTRODUCED, KK_OSV_FIXED, KK_OSV_LAST_AFFECTED,
							   KK_OSV_LIMIT};
	struct kk_osv_event ev[MAX_EVENTS];
	size_t nev = 0;
	bool nvd = false;
	for (int i = 1; i < argc; i++) {
		int r2 = 0;
		for (int k = 0; k < 6 && !r2; k++) {
			r2 = cli_opt(argc, argv, &i, names[k], slots[k]);
			if (r2 < 0)
				return cli_usage("version in", "%s needs a version", names[k]);
			nvd |= r2 > 0 && k > 0;
		}
		for (int k = 0; k < 4 && !r2; k++) {
			const char *val;
			r2 = cli_opt(argc, argv, &i, osv_names[k], &val);
			if (r2 < 0)
				return cli_usage("version in", "%s needs a version", osv_names[k]);
			if (r2 && nev == MAX_EVENTS)
				return cli_usage("version in", "at most %d OSV events", MAX_EVENTS);
			if (r2)
				ev[nev++] = (struct kk_osv_event){osv_kinds[k], val};
		}
		if (r2)
			continue;
		if (v || (argv[i][0] == '-' && argv[i][1] == '-'))
			return cli_usage("version in", "unexpected argument '%s'", argv[i]);
		v = argv[i];
	}
	if (!v)
		return cli_usage("version in", "give the VERSION to check");
	if (nvd && nev)
		return cli_usage("version in", "give either NVD bounds (--start-including ...) or OSV events "
					       "(--introduced ...), not both");
	enum kk_version_scheme s;
	if (scheme_opt("version in", sname, &s))
		return KK_EXIT_USAGE;
	struct kk_diag d;
	kk_diag_clear(&d);
	bool affected;
	int rc = nev ? kk_version_osv_affected(s, v, ev, nev, &affected, &d)
		     : kk_version_in_range(s, v, &r, &affected, &d);
	if (rc)
		return cli_error("version in: %s", d.msg);
	puts(affected ? "affected" : "not-affected");
	return KK_EXIT_OK;
}
