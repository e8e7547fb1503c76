/*
 * sbom.h — lists of installed software read from what people have: a
 * CycloneDX SBOM (JSON, specVersion 1.2–1.6), an SPDX 2.3 SBOM (JSON), a CSV
 * sheet, the output of `dpkg-query -W` or of `rpm -qa`. One call detects the
 * format by content and gives a flat list of components (name, version, and
 * the purl / CPE the document states), which the version checker (check.h)
 * and inventories (inventory.h) take.
 *
 *   struct kk_arena a; struct kk_sbom s; struct kk_diag d;
 *   kk_arena_init(&a, 0);
 *   if (kk_sbom_parse(text, len, &a, &s, &d) < 0) ... d.where, d.msg ...
 *   for (size_t i = 0; i < s.n; i++) ... s.v[i].name, s.v[i].version ...
 *   kk_arena_release(&a);
 *
 * Formats:
 *   cyclonedx  {"bomFormat":"CycloneDX","specVersion":"1.x","components":[..]};
 *              nested components are read too; name, group, version,
 *              purl, cpe, bom-ref per component. metadata.component (the
 *              product the SBOM describes) is not a dependency: left out.
 *   spdx       {"spdxVersion":"SPDX-2.x","packages":[..]}; name,
 *              versionInfo, SPDXID, externalRefs of type purl and
 *              cpe23Type / cpe22Type. SPDX 3 (JSON-LD) is refused by name.
 *   csv        a header line naming the columns (name|product|製品名,
 *              version|バージョン, vendor|ベンダ名, cpe, purl; any order,
 *              others ignored), one component per line.
 *   dpkg       `dpkg-query -W`: "package[:arch]<TAB>version" lines; the
 *              purl is pkg:deb/debian/NAME@VERSION.
 *   rpm        `rpm -qa`: "name-version-release[.arch]" lines; the purl is
 *              pkg:rpm/NAME@VERSION-RELEASE.
 * Errors: KK_EPARSE with d->where (a JSON pointer "/components/3/version"
 * or "line N") and a message that says what to fix; KK_EUNSUPPORTED for a
 * document of another kind; KK_ETOOBIG past KK_SBOM_MAX_ITEMS; KK_ENOMEM.
 *
 * Ownership: every string lives in the caller's arena.
 */
#ifndef KK_WATCH_SBOM_H
#define KK_WATCH_SBOM_H
#include "base/arena.h"
#include "base/err.h"
#include <stddef.h>

#define KK_SBOM_MAX_ITEMS 100000
#define KK_SBOM_FIELD_MAX 1024 /* longest name, version, purl or CPE kept */

enum kk_sbom_format { KK_SBOM_CYCLONEDX, KK_SBOM_SPDX, KK_SBOM_CSV, KK_SBOM_DPKG, KK_SBOM_RPM };

struct kk_sbom_item {
	const char *name;    /* never NULL or empty */
	const char *version; /* NULL when the document gives none */
	const char *vendor;  /* CycloneDX group / supplier, CSV vendor; may be NULL */
	const char *purl;    /* may be NULL */
	const char *cpe;     /* may be NULL */
	const char *ref;     /* bom-ref, SPDXID, or "line N"; never NULL */
};

struct kk_sbom {
	enum kk_sbom_format format;
	const char *spec_version; /* "1.5", "SPDX-2.3"; NULL for the line formats */
	const char *serial;       /* CycloneDX serialNumber, SPDX documentNamespace; may be NULL */
	struct kk_sbom_item *v;
	size_t n, cap;
};

/* "cyclonedx", "spdx", "csv", "dpkg", "rpm" */
const char *kk_sbom_format_name(enum kk_sbom_format f);
/* Detects the format of data[0..len) and reads it into *out (see the top). */
int kk_sbom_parse(const char *data, size_t len, struct kk_arena *a, struct kk_sbom *out, struct kk_diag *d);

#endif
