/*
 * search_opts.h — the search filters `keikai search` and `keikai export`
 * share (cmd_search.c): --severity, --cwe, --vendor, --product, --cpe,
 * --purl, --kev, --source, --cvss, --vector, --score-min/--score-max,
 * --published-from/--published-to, --updated-from/--updated-to,
 * --public-from/--public-to, --withdrawn, --sort, --lang.
 *
 * cli_search_opt looks at argv[*i]: 1 when it was one of them (its value
 * consumed, *i advanced, q filled; values point into argv), 0 when it is
 * not a filter, or a negative exit status after a usage message naming the
 * option and the fix.
 */
#ifndef KK_CLI_SEARCH_OPTS_H
#define KK_CLI_SEARCH_OPTS_H
#include "vulndb/search.h"
#include <stddef.h>

int cli_search_opt(int argc, char **argv, int *i, struct kk_search_query *q);
/* Appends word to the query text q (*len bytes so far, cap in all): 0, or a negative exit status. */
int cli_search_word(const char *cmd, const char *word, char *q, size_t cap, size_t *len);

/* The filter options' help lines, for commands.def-style help text. */
#define CLI_SEARCH_OPTS_HELP                                                                                 \
	"--severity S             none, low, medium, high or critical (repeat for several)\n"                     \
	"--cwe N                  CWE number (79 or CWE-79)\n"                                                  \
	"--vendor V / --product P vendor / product: CPE value, package name or Japanese/English name\n"         \
	"--cpe NAME               CPE 2.3 name or 2.2 URI; with a version only records whose ranges hold it\n"   \
	"--purl PURL              package URL; with @version only records whose ranges hold it\n"               \
	"--kev                    only records listed in CISA KEV\n"                                            \
	"--source S               nvd, cve5, osv, jvn, ...\n"                                                   \
	"--cvss V                 has a CVSS score of version 2.0, 3.0, 3.1 or 4.0\n"                           \
	"--vector V               CVSS components, such as AV:N/PR:N\n"                                         \
	"--score-min X / --score-max X   score range 0..10\n"                                                   \
	"--published-from D / --published-to D, --updated-from D / --updated-to D,\n"                          \
	"--public-from D / --public-to D   date ranges (YYYY-MM-DD or ISO 8601)\n"                               \
	"--withdrawn W            rejected and withdrawn records: exclude (default), include or only\n"          \
	"--sort S                 date, modified, score or relevance\n"                                        \
	"--lang L                 ja or en (titles)\n"

#endif
