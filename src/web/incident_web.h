/*
 * incident_web.h — what the incident pages (page_incident.c) and the incident API
 * (api_incident.c) share: one submission pipeline and one evidence download.
 */
#ifndef KK_WEB_INCIDENT_WEB_H
#define KK_WEB_INCIDENT_WEB_H
#include "incident/incident.h"
#include "web/req.h"
#include <stdbool.h>

/* A submission in progress; zero it, set actor, then call kk_incident_web_submit. */
struct kk_incident_submit {
	const struct kk_actor *actor;
	struct kk_incident_input in;
	const char *base_url; /* $KEIKAI_BASE_URL */
	const struct kk_upload *files;
	const struct kk_stored_file *stored;
	int nfiles;
	struct kk_incident_receipt rc; /* the receipt: wipe it after use */
	struct kk_diag d;
};
/*
 * Parse, validate, the per-address limit, the files to disk, then seal,
 * store and link in one transaction (source "web", "api" or "mail"). 0 with
 * s->rc filled; an input error in s->d with *replied false (KK_EPARSE,
 * KK_EINVAL, KK_EPERM); any other failure answered already (*replied true).
 */
int kk_incident_web_submit(struct kk_req *r, const char *json, size_t n, const struct kk_intake_limits *l,
			   const struct kk_upload *u, int nu, const char *source, struct kk_incident_submit *s,
			   bool *replied);
/* The evidence file {tracking}/{sha256} for staff (token NULL) or the reporter's link: always a download. */
int kk_incident_web_download(struct kk_req *r, const char *token);
/* The period of a figures request (?quarter=2026Q2 JST; staff: from=/to= and all=1 for TLP:RED; default the
 * current quarter): 0, or < 0 after replying 422/403. *pub: TLP:RED left out. */
int kk_incident_web_period(struct kk_req *r, int64_t *from, int64_t *to, bool *pub);
#endif
