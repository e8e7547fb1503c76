/*
 * cmd_routes.c — `keikai routes [--markdown]`: prints the HTTP route table
 * from web/routes.def (the Markdown form is the generated part of docs/api.md).
 */
#include "auth/policy.h"
#include "base/buf.h"
#include "cli/cli.h"
#include "web/router.h"
#include <stdio.h>
#include <string.h>

int cmd_routes(struct kk_cli *cli, int argc, char **argv)
{
	(void)cli;
	bool md = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--markdown"))
			md = true;
		else
			return cli_usage(argv[0], "unknown option '%s'", argv[i]);
	}
	if (md) {
		struct kk_buf b = KK_BUF_INIT(0);
		int rc = kk_router_markdown(&b);
		if (rc == 0)
			fputs(b.ptr, stdout);
		kk_buf_release(&b);
		return rc ? cli_error("out of memory") : KK_EXIT_OK;
	}
	for (int i = 0; i < kk_route_count; i++)
		printf("%-7s %-30s %-13s %s\n", kk_routes[i].method, kk_routes[i].pattern,
		       kk_action_name(kk_routes[i].perm), kk_routes[i].summary);
	return KK_EXIT_OK;
}
