/*
 * myjvn.h — the MyJVN API (ver. HND, https://jvndb.jvn.jp/myjvn) answered
 * from keikai's database: getVulnOverviewList (JVNRSS 3.2), getVulnDetailInfo
 * (VULDEF 3.2), getStatistics (sumJvnDb, sumCvss, sumCwe by year, quarter or
 * month) with the documented parameters and the status:Status element; with
 * ft=json the same content as JSON. No HTTP here: src/web/api_myjvn.c hands
 * the request's parameters in through a callback and sends the buffer.
 *
 * Parameters (names are case-sensitive, as MyJVN documents; an empty value
 * means "not given"): method, feed (must be hnd), lang (ja|en), ft (xml|json),
 * xsl (0|1, accepted and not used: keikai serves no XSL), startItem,
 * maxCountItem (overview 1..1000 — MyJVN's limit is 50 —, detail 1..10),
 * keyword, cpeName (cpe:/{part}:{vendor}[:{product}] with '*' wildcards, several
 * joined by '+': dict.h kk_dict_cpe_pattern), vendorId / productId (several
 * joined by '+'), severity
 * (n|l|m|h|c), vector (CVSS v3 base vector or some of its components),
 * rangeDatePublic / rangeDatePublished / rangeDateFirstPublished (n|w|m),
 * date{Public,Published,FirstPublished}{Start,End}{Y,M,D}, and beside them
 * single ISO dates date{Public,Published,FirstPublished}{Start,End}
 * (YYYY, YYYY-MM, YYYY-MM-DD or an ISO 8601 time); vulnId (JVNDB ids, CVE ids
 * or aliases joined by '+'); theme (sumAll|sumJvnDb|sumCvss|sumCwe), type
 * (y|q|m), cweId (CWE-79), pid; getAlertList's datePublished /
 * dateFirstPublished (years).
 * Dates: Public = when the vulnerability became public, Published = last
 * updated (MyJVN's naming), FirstPublished = first published. A date range
 * not given and with no explicit date of its kind is "w" (the past week), as
 * MyJVN documents; days are JST days.
 *
 * Failures answer HTTP 200 (as MyJVN) and retCd=1 with errCd (MyJVN's documentation lists no codes;
 * keikai's are below) and errMsg naming the parameter and the fix.
 */
#ifndef KK_VULNDB_MYJVN_H
#define KK_VULNDB_MYJVN_H
#include "base/buf.h"
#include "base/err.h"
#include "vulndb/dict.h"
#include "vulndb/search.h"
#include <stdbool.h>
#include <stdint.h>

struct kk_db;

/* errCd values */
#define KK_MYJVN_E_METHOD "E_METHOD"         /* method missing or unknown */
#define KK_MYJVN_E_FEED "E_FEED"             /* feed missing or not hnd */
#define KK_MYJVN_E_MISSING "E_PARAM_MISSING" /* a required parameter is missing */
#define KK_MYJVN_E_INVALID "E_PARAM_INVALID" /* a parameter's value is not allowed */
#define KK_MYJVN_E_INTERNAL "E_INTERNAL"     /* the database failed */

enum kk_myjvn_method {
	KK_MYJVN_UNKNOWN = 0,
	KK_MYJVN_VENDOR_LIST,
	KK_MYJVN_PRODUCT_LIST,
	KK_MYJVN_OVERVIEW_LIST,
	KK_MYJVN_DETAIL_INFO,
	KK_MYJVN_STATISTICS,
	KK_MYJVN_ALERT_LIST,
};

#define KK_MYJVN_OVERVIEW_MAX 1000
#define KK_MYJVN_LIST_MAX 10000
/*
 * Vendor and product ids (vid, pid, vendorId, productId): MyJVN's own ids
 * for what came from the MyJVN product dictionary; a vendor or product
 * keikai knows only from records gets its keikai id plus KK_MYJVN_OWN_ID,
 * far above MyJVN's numbers.
 */
#define KK_MYJVN_OWN_ID 10000000000LL
#define KK_MYJVN_DETAIL_MAX 10
#define KK_MYJVN_ALERT_MAX 50
#define KK_MYJVN_IDS_MAX 10

/* A parsed request. Strings point into the values the parameter callback gave. */
struct kk_myjvn_params {
	enum kk_myjvn_method method;
	const char *method_name; /* for status:Status: the method, or the schema's name nearest the one given */
	const char *lang;        /* "ja" or "en" */
	bool json;               /* ft=json */
	long start, max;         /* startItem (1-based), maxCountItem */
	struct kk_search_query q; /* overview filters (q.lang = lang) */
	struct kk_dict_cpe_pat pats[KK_DICT_LIST_MAX]; /* cpeName, split at '+' */
	int npats;
	char vector[160];
	int nids;
	const char *ids[KK_MYJVN_IDS_MAX]; /* vulnId, split (point into idbuf) */
	char idbuf[512];
	unsigned themes;   /* bit 0 sumJvnDb, 1 sumCvss, 2 sumCwe */
	char type;         /* 'y', 'q' or 'm' */
	int cwe;           /* cweId */
	int stat_y0, stat_m0, stat_y1, stat_m1; /* getStatistics range (0: open) */
	const char *keyword;                    /* getVendorList / getProductList filter */
	/* vendorId, productId (pid), split at '+': MyJVN's, or keikai's + KK_MYJVN_OWN_ID */
	int nvendor_ids, nproduct_ids;
	int64_t vendor_ids[KK_DICT_LIST_MAX], product_ids[KK_DICT_LIST_MAX];
	int alert_year_pub, alert_year_first;   /* getAlertList: datePublished, dateFirstPublished (0: any) */
	/* what to echo in status:Status: the parameters given that the schema names */
	int necho;
	struct {
		const char *name, *value;
	} echo[40];
	/* on failure */
	const char *err_cd;
	char err_msg[256];
};

/* Where the parameters come from: the value of name, or NULL when absent. */
typedef const char *(*kk_myjvn_param_fn)(void *arg, const char *name);

/*
 * Parses and checks the parameters (now for the "past week/month"
 * ranges). 0, or KK_EINVAL with p->err_cd / p->err_msg set (p->method and
 * p->lang are set as far as they could be read).
 */
int kk_myjvn_parse(kk_myjvn_param_fn get, void *arg, int64_t now, struct kk_myjvn_params *p);

struct kk_myjvn_answer {
	int http_status;  /* 200 (also for a bad request: retCd=1, as MyJVN), 500 when the database failed */
	const char *type; /* Content-Type */
	int64_t modified; /* newest modification among the records answered (0: none) */
};

/*
 * Answers the request into out (XML or JSON, success or retCd=1 failure).
 * base_url ("https://host", no trailing slash) prefixes record links.
 * Returns 0, or KK_ENOMEM / KK_ETOOBIG when out could not hold the answer.
 */
int kk_myjvn_answer(struct kk_db *db, kk_myjvn_param_fn get, void *arg, const char *base_url, int64_t now,
                    struct kk_buf *out, struct kk_myjvn_answer *ans);

#endif
