/*
 * main.c — keikai's entry point: global options, then dispatch to the
 * command named in cli/commands.def.
 */
#include "base/rand.h"
#include "cli/cli.h"
#include "cli/jobs.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct kk_cli_command commands[] = {
#define CMD(name, fn, syn, sum, help) {name, fn, syn, sum, help},
#include "cli/commands.def"
#undef CMD
	{NULL, NULL, NULL, NULL, NULL},
};

int cli_error(const char *fmt, ...)
{
	va_list ap;
	fputs("keikai: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return KK_EXIT_FAIL;
}

const struct kk_cli_command *cli_find(const char *name)
{
	for (const struct kk_cli_command *c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "keikai %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	const struct kk_cli_command *c = cli_find(cmd);
	if (c)
		fprintf(stderr, "usage: keikai %s %s\n(see 'keikai help %s')\n", c->name, c->synopsis, c->name);
	return KK_EXIT_USAGE;
}

static void print_overview(FILE *out)
{
	fprintf(out, "keikai %s — vulnerability handling: reports, coordination, advisories, database\n\n"
		     "usage: keikai [--db PATH] COMMAND [ARGS...]\n"
		     "       keikai --version | --help | help COMMAND\n\n"
		     "The database is --db PATH, else $KEIKAI_DB, else ./var/keikai.db.\n\ncommands:\n",
		KK_VERSION);
	for (const struct kk_cli_command *c = commands; c->name; c++)
		fprintf(out, "  %-18s %s\n", c->name, c->summary);
	fprintf(out, "\nExit codes: 0 success, 1 runtime error, 2 usage error.\n");
}

/* roff-escapes s for the man page: backslashes and leading dots/quotes. */
static void man_text(const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", stdout);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", stdout);
		else if (*s == '-')
			fputs("\\-", stdout);
		else
			putchar(*s);
		if (*s == '\n' && (s[1] == '.' || s[1] == '\''))
			fputs("\\&", stdout);
	}
}

/* `keikai help --man`: the man page, generated from commands.def. */
static int print_man(void)
{
	printf(".TH KEIKAI 1 \"\" \"keikai %s\" \"keikai manual\"\n", KK_VERSION);
	printf(".SH NAME\nkeikai \\- vulnerability handling: reports, coordination, advisories, database\n");
	printf(".SH SYNOPSIS\n.B keikai\n[\\-\\-db \\fIPATH\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR...]\n");
	printf(".SH DESCRIPTION\nkeikai is at once the command\\-line tool and the server of a vulnerability\n"
	       "handling body: finders report, the receiving organization triages, a coordinator brings vendors\n"
	       "to a fix and a common publication date, advisories go out in Japanese and English, and a public\n"
	       "vulnerability database, API and feeds serve everyone.\n");
	printf(".SH OPTIONS\n.TP\n.BI \\-\\-db \" PATH\"\nThe database file; else \\fB$KEIKAI_DB\\fR, "
	       "else \\fI./var/keikai.db\\fR.\n.TP\n.B \\-\\-help\nList the commands.\n"
	       ".TP\n.B \\-\\-version\nPrint the version.\n");
	printf(".SH COMMANDS\n");
	for (const struct kk_cli_command *c = commands; c->name; c++) {
		printf(".TP\n.B keikai %s\n", c->name);
		man_text(c->synopsis);
		printf("\n.br\n");
		man_text(c->summary);
		printf(".\n");
		if (c->help && *c->help) {
			printf(".IP\n");
			man_text(c->help);
			printf("\n");
		}
	}
	printf(".SH ENVIRONMENT\n.TP\n.B KEIKAI_DB\nDatabase path when \\-\\-db is not given.\n"
	       ".TP\n.B KEIKAI_LOG\nLog level: debug, info, warn or error.\n"
	       ".TP\n.B KEIKAI_TEST_NOW\nPins the clock (tests only): an ISO 8601 time or epoch seconds.\n");
	printf(".SH EXIT STATUS\n0 success, 1 runtime error, 2 usage error.\n");
	printf(".SH SEE ALSO\nREADME.md, docs/architecture.md, docs/api.md in the source tree.\n");
	return KK_EXIT_OK;
}

int cmd_help(struct kk_cli *cli, int argc, char **argv)
{
	(void)cli;
	if (argc == 2 && !strcmp(argv[1], "--man"))
		return print_man();
	if (argc < 2) {
		print_overview(stdout);
		return KK_EXIT_OK;
	}
	char name[128] = "";
	for (int i = 1; i < argc && i < 3; i++) {
		if (i > 1)
			strncat(name, " ", sizeof(name) - strlen(name) - 1);
		strncat(name, argv[i], sizeof(name) - strlen(name) - 1);
	}
	const struct kk_cli_command *c = cli_find(name);
	if (!c && argc > 2) {
		name[strcspn(name, " ")] = 0;
		c = cli_find(name);
	}
	if (!c) {
		/* a group such as "user": list its sub-commands */
		size_t n = strlen(name);
		int found = 0;
		for (const struct kk_cli_command *g = commands; g->name; g++)
			if (!strncmp(g->name, name, n) && g->name[n] == ' ') {
				if (!found++)
					printf("keikai %s commands:\n", name);
				printf("  keikai %s %s\n      %s\n", g->name, g->synopsis, g->summary);
			}
		if (found)
			return KK_EXIT_OK;
		fprintf(stderr, "keikai help: no command '%s'; 'keikai --help' lists them\n", name);
		return KK_EXIT_USAGE;
	}
	printf("usage: keikai %s %s\n\n%s.\n\n%s\n", c->name, c->synopsis, c->summary, c->help);
	return KK_EXIT_OK;
}

/* Removes --db PATH / --db=PATH from argv (anywhere) and returns the value. */
static const char *take_db(int *argc, char **argv, int *bad)
{
	const char *db = NULL;
	int o = 1;
	for (int i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--")) {
			while (i < *argc)
				argv[o++] = argv[i++];
			break;
		}
		if (!strcmp(argv[i], "--db")) {
			if (i + 1 >= *argc) {
				*bad = 1;
				return NULL;
			}
			db = argv[++i];
			continue;
		}
		if (!strncmp(argv[i], "--db=", 5)) {
			db = argv[i] + 5;
			continue;
		}
		argv[o++] = argv[i];
	}
	*argc = o;
	argv[o] = NULL;
	return db;
}

int main(int argc, char **argv)
{
	struct kk_cli cli = {.argv0 = argv[0]};
	int bad = 0;
	const char *db = take_db(&argc, argv, &bad);
	if (bad) {
		fprintf(stderr, "keikai: --db needs a path, e.g. --db var/keikai.db\n");
		return KK_EXIT_USAGE;
	}
	if (!db || !*db)
		db = getenv("KEIKAI_DB");
	cli.db_path = db && *db ? db : "var/keikai.db";

	if (argc < 2) {
		print_overview(stderr);
		return KK_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		print_overview(stdout);
		return KK_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("keikai %s\n", KK_VERSION);
		return KK_EXIT_OK;
	}
	if (argv[1][0] == '-') {
		fprintf(stderr, "keikai: unknown option '%s'; 'keikai --help' lists options and commands\n", argv[1]);
		return KK_EXIT_USAGE;
	}
	if (kk_random_init() < 0)
		return cli_error("cannot initialise the random number generator (libsodium)");
	cli_register_openers();

	/* longest match: two words, then one */
	const struct kk_cli_command *c = NULL;
	int words = 1;
	if (argc >= 3) {
		char two[128];
		snprintf(two, sizeof(two), "%s %s", argv[1], argv[2]);
		if ((c = cli_find(two)))
			words = 2;
	}
	if (!c)
		c = cli_find(argv[1]);
	if (!c) {
		char prefix[64];
		snprintf(prefix, sizeof(prefix), "%s ", argv[1]);
		for (const struct kk_cli_command *g = commands; g->name; g++)
			if (!strncmp(g->name, prefix, strlen(prefix))) {
				fprintf(stderr, "keikai %s: needs a sub-command; 'keikai help %s' lists them\n",
					argv[1], argv[1]);
				return KK_EXIT_USAGE;
			}
		fprintf(stderr, "keikai: unknown command '%s'; 'keikai --help' lists the commands\n", argv[1]);
		return KK_EXIT_USAGE;
	}
	/* hand the command argv with argv[0] = its full name */
	char **sub = argv + words;
	int subc = argc - words;
	sub[0] = (char *)c->name;
	for (int i = 1; i < subc; i++)
		if (!strcmp(sub[i], "--help") || !strcmp(sub[i], "-h")) {
			printf("usage: keikai %s %s\n\n%s.\n\n%s\n", c->name, c->synopsis, c->summary, c->help);
			return KK_EXIT_OK;
		}
	return c->fn(&cli, subc, sub);
}
