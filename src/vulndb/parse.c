/*
 * parse.c — format names and detection, and the dispatch of one JSON record
 * to its parser with the content hash of what was read.
 */
#include "vulndb/parse.h"
#include <sodium.h>
#include <string.h>

static const char *const format_names[] = {"auto", "cve5",       "nvd-api2",     "nvd-json1.1", "osv",
                                           "jvn-vuldef", "jvnrss", "jvn-products", "kev"};

const char *kk_vuln_format_name(enum kk_vuln_format f)
{
	return (unsigned)f < sizeof(format_names) / sizeof(*format_names) ? format_names[f] : "?";
}

int kk_vuln_format_parse(const char *s)
{
	for (size_t i = 0; i < sizeof(format_names) / sizeof(*format_names); i++)
		if (!strcmp(s, format_names[i]))
			return (int)i;
	return -1;
}

enum kk_vuln_format kk_vuln_format_detect(const json_t *obj)
{
	if (!json_is_object(obj))
		return KK_VF_AUTO;
	if (json_object_get(obj, "cveMetadata") || json_is_string(json_object_get(obj, "dataType")))
		return KK_VF_CVE5;
	const json_t *cve = json_object_get(obj, "cve");
	if (json_is_object(cve)) {
		if (json_object_get(cve, "CVE_data_meta"))
			return KK_VF_NVD_JSON11;
		if (json_object_get(cve, "id"))
			return KK_VF_NVD_API2;
	}
	if (json_is_string(json_object_get(obj, "id")) && json_object_get(obj, "modified"))
		return KK_VF_OSV;
	if (json_object_get(obj, "vid") && json_object_get(obj, "pcpe"))
		return KK_VF_JVN_PRODUCTS;
	if (json_object_get(obj, "cveID") && json_object_get(obj, "dateAdded"))
		return KK_VF_KEV;
	return KK_VF_AUTO;
}

int kk_vuln_parse(enum kk_vuln_format fmt, const json_t *obj, const char *raw, size_t rawlen,
                  struct kk_arena *a, struct kk_vuln_rec *rec, struct kk_diag *d)
{
	kk_vuln_rec_init(rec, a);
	if (fmt == KK_VF_AUTO)
		fmt = kk_vuln_format_detect(obj);
	int rc;
	switch (fmt) {
	case KK_VF_CVE5:
		rc = kk_vuln_parse_cve5(obj, a, rec, d);
		break;
	case KK_VF_NVD_JSON11:
		rc = kk_vuln_parse_nvd11(obj, a, rec, d);
		break;
	case KK_VF_NVD_API2:
		rc = kk_vuln_parse_nvd2(obj, a, rec, d);
		break;
	case KK_VF_OSV:
		rc = kk_vuln_parse_osv(obj, a, rec, d);
		break;
	case KK_VF_JVN_VULDEF:
	case KK_VF_JVNRSS:
		return kk_diag_set(d, KK_EUNSUPPORTED, "", "%s is an XML format but this record is JSON; "
		                   "drop --format or name the JSON format", kk_vuln_format_name(fmt));
	case KK_VF_JVN_PRODUCTS:
	case KK_VF_KEV:
		return kk_diag_set(d, KK_EUNSUPPORTED, "", "%s entries are not vulnerability records; "
		                   "the importer stores them apart (import_side.h)", kk_vuln_format_name(fmt));
	default:
		return kk_diag_set(d, KK_EUNSUPPORTED, "",
		                   "not a CVE JSON 5, NVD (JSON 1.1 or API 2.0) or OSV record; "
		                   "name the format with --format if it is one of them");
	}
	if (rc)
		return rc;
	if (raw) {
		crypto_generichash_state st;
		crypto_generichash_init(&st, NULL, 0, sizeof(rec->hash));
		crypto_generichash_update(&st, (const unsigned char *)rec->format, strlen(rec->format) + 1);
		crypto_generichash_update(&st, (const unsigned char *)raw, rawlen);
		crypto_generichash_final(&st, rec->hash, sizeof(rec->hash));
		return 0;
	}
	return kk_vuln_rec_hash(rec, obj);
}
