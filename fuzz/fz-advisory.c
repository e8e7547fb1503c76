/*
 * fz-advisory.c — libFuzzer harness for the advisory editor document
 * (publish/advisory.h). Any input either is refused with a diagnostic that
 * names the field (a JSON pointer) and says why, or: its canonical form
 * parses back to the same canonical form (a fixpoint), and the CVE JSON 5,
 * CSAF and OSV writers produce JSON that parses.
 */
#include "base/arena.h"
#include "base/buf.h"
#include "base/json.h"
#include "publish/advisory.h"
#include "publish/formats.h"
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void canon(const struct kk_adv *adv, struct kk_buf *b)
{
	struct kk_json j;
	kk_buf_reset(b);
	kk_json_init(&j, b);
	kk_adv_write(&j, adv);
	if (kk_json_error(&j))
		abort();
}

static void parses(struct kk_buf *b)
{
	json_t *o = json_loadb(b->ptr, b->len, 0, NULL);
	if (!o)
		abort();
	json_decref(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kk_arena a;
	struct kk_adv adv, again;
	struct kk_diag d;
	kk_arena_init(&a, 0);
	int rc = kk_adv_parse_text((const char *)data, size, &a, &adv, &d);
	if (rc) {
		if (rc > 0 || !d.msg[0])
			abort(); /* a refusal always says why */
		kk_arena_release(&a);
		return 0;
	}
	struct kk_buf b1 = KK_BUF_INIT(0), b2 = KK_BUF_INIT(0);
	canon(&adv, &b1);
	if (kk_adv_parse_text(b1.ptr, b1.len, &a, &again, &d))
		abort(); /* what we write we read */
	canon(&again, &b2);
	if (b1.len != b2.len || memcmp(b1.ptr, b2.ptr, b1.len))
		abort(); /* the canonical form is a fixpoint */
	struct kk_advisory pub;
	memset(&pub, 0, sizeof(pub));
	strcpy(pub.ident, "JVNVU#12345678");
	pub.kind = "JVNVU";
	pub.state = "published";
	pub.rev = pub.public_rev = 1;
	pub.published_at = pub.rev_at = 1770000000;
	pub.doc = adv;
	for (int f = 0; f < 3; f++) {
		struct kk_json j;
		kk_buf_reset(&b2);
		kk_json_init(&j, &b2);
		rc = f == 0 ? kk_adv_csaf(&j, NULL, &pub) : f == 1 ? kk_adv_osv(&j, &pub) : kk_adv_cve5(&j, &pub, 0);
		if (rc == 0)
			parses(&b2);
		else if (!(f == 2 && rc == KK_EINVAL))
			abort(); /* only a record without a CVE id is refused */
	}
	kk_buf_release(&b1);
	kk_buf_release(&b2);
	kk_arena_release(&a);
	return 0;
}
