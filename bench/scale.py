#!/usr/bin/env python3
"""bench/scale.py OUT_DIR [TOTAL] — the scaled copy of the real data that the
#4 targets are measured on (300,000 records by default).

The real records of ../shared/data (NVD 1.1 yearly feeds, CVE 5 vulnrichment,
Go and RustSec OSV: 179,327 records) are imported as they are; this script
writes the rest as copies of the NVD 1.1 feed items with new ids
(CVE-YYYY-8NNNNNNN: the 8-digit 8xxxxxxx range is unused in the real data),
in NVD 1.1 feed files OUT_DIR/scaled-nvdcve-1.1-YYYY.json.gz.

Each copy also gets a Japanese overview written the way JVN iPedia writes
them: "<vendor> 製 <product> における<weakness>の脆弱性" and
"<vendor> 製 <product> には、<weakness>の脆弱性が存在します。", with the
vendor and product names of the MyJVN product dictionary
(../shared/data/jvn-product-dictionary) when it knows the record's first CPE
vendor:product, else the CPE names, and JVN iPedia's Japanese names of the
CWE types. So the Japanese query set searches text of the same shape and
distribution as JVN iPedia's, over real products. The copies keep
everything else (CVSS, CWE, CPE configurations, references, dates).

Deterministic: the same inputs give the same files.
"""
import gzip, json, os, re, sys

DATA = os.environ.get("DATA") or os.path.join(os.environ.get("KEIKAI_SHARED", os.path.join(os.path.dirname(__file__), "..", "..", "shared")), "data")
REAL = 179327  # records of the real data that bench/60-scale.sh imports beside the copies

# JVN iPedia's Japanese names of CWE types (as its advisories and iPedia titles use them)
CWE_JA = {
    "CWE-16": "設定", "CWE-19": "データ処理", "CWE-20": "不適切な入力確認", "CWE-22": "パス・トラバーサル",
    "CWE-59": "リンク解釈の問題", "CWE-74": "インジェクション", "CWE-77": "コマンドインジェクション",
    "CWE-78": "OS コマンドインジェクション", "CWE-79": "クロスサイトスクリプティング",
    "CWE-89": "SQL インジェクション", "CWE-94": "コード・インジェクション", "CWE-119": "バッファエラー",
    "CWE-120": "古典的バッファオーバーフロー", "CWE-125": "範囲外メモリの読み取り",
    "CWE-134": "書式文字列の問題", "CWE-189": "数値処理の問題", "CWE-190": "整数オーバーフローまたはラップアラウンド",
    "CWE-200": "情報漏えい", "CWE-254": "セキュリティ機能", "CWE-255": "証明書・パスワード管理",
    "CWE-264": "認可・権限・アクセス制御", "CWE-269": "不適切な権限管理", "CWE-284": "不適切なアクセス制御",
    "CWE-287": "不適切な認証", "CWE-295": "不適切な証明書検証", "CWE-310": "暗号の問題",
    "CWE-311": "重要な情報の暗号化の欠如", "CWE-326": "不十分な暗号強度", "CWE-327": "不完全、または危険な暗号アルゴリズムの使用",
    "CWE-352": "クロスサイトリクエストフォージェリ", "CWE-362": "競合状態", "CWE-384": "セッションの固定化",
    "CWE-399": "リソース管理の問題", "CWE-400": "制御されないリソース消費", "CWE-415": "二重解放",
    "CWE-416": "解放済みメモリの使用", "CWE-426": "信頼できない検索パス", "CWE-427": "制御されていない検索パスの要素",
    "CWE-434": "危険なタイプのファイルの無制限アップロード", "CWE-476": "NULL ポインタデリファレンス",
    "CWE-502": "信頼できないデータのデシリアライゼーション", "CWE-522": "不十分な認証情報の保護",
    "CWE-601": "オープンリダイレクト", "CWE-611": "XML 外部エンティティ参照の不適切な制限",
    "CWE-617": "到達可能なアサーション", "CWE-665": "不適切な初期化", "CWE-668": "誤った領域へのリソースの露出",
    "CWE-732": "重要なリソースに対する不適切なパーミッションの割り当て", "CWE-772": "有効期限後のリソースの解放の欠如",
    "CWE-787": "範囲外のメモリへの書き込み", "CWE-798": "ハードコードされた認証情報の使用",
    "CWE-835": "無限ループ", "CWE-862": "認可の欠如", "CWE-863": "不正な認可", "CWE-918": "サーバサイドのリクエストフォージェリ",
    "NVD-CWE-Other": "その他", "NVD-CWE-noinfo": "情報不足",
}


def dictionary():
    """(cpe vendor, cpe product) -> (vendor name, product name), and cpe vendor -> vendor name."""
    prod, vend = {}, {}
    with gzip.open(os.path.join(DATA, "jvn-product-dictionary", "jvn_product_dictionary.jsonl.gz"), "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            p = (r.get("pcpe") or "").split(":")
            if len(p) >= 4 and p[2] and p[3]:
                prod.setdefault((p[2], p[3]), (r["vname"], r["pname"]))
                vend.setdefault(p[2], r["vname"])
    return prod, vend


def first_cpe(item):
    def walk(nodes):
        for n in nodes:
            for m in n.get("cpe_match", []):
                s = m.get("cpe23Uri", "").split(":")
                if len(s) > 4:
                    return s[3], s[4]
            r = walk(n.get("children", []))
            if r:
                return r
        return None
    return walk(item.get("configurations", {}).get("nodes", []))


def cwe_of(item):
    for p in item["cve"].get("problemtype", {}).get("problemtype_data", []):
        for d in p.get("description", []):
            if d.get("value"):
                return d["value"]
    return "NVD-CWE-noinfo"


def readable(s):
    return s.replace("\\", "").replace("_", " ")


def main():
    out = sys.argv[1]
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 300000
    need = total - REAL
    os.makedirs(out, exist_ok=True)
    prod, vend = dictionary()
    feeds = os.path.join(DATA, "nvd-json-1.1-feeds")
    years = sorted(f for f in os.listdir(feeds) if re.match(r"nvdcve-1\.1-\d{4}\.json\.gz$", f))
    made = named = 0
    for name in years:
        if made >= need:
            break
        with gzip.open(os.path.join(feeds, name), "rt", encoding="utf-8") as f:
            doc = json.load(f)
        items = []
        for it in doc["CVE_Items"]:
            if made >= need:
                break
            meta = it["cve"]["CVE_data_meta"]
            m = re.match(r"CVE-(\d{4})-(\d+)$", meta["ID"])
            if not m:
                continue
            made += 1
            meta["ID"] = "CVE-%s-8%07d" % (m.group(1), made)
            vp = first_cpe(it)
            if vp and vp in prod:
                v, p = prod[vp]
                named += 1
            elif vp:
                v, p = vend.get(vp[0], readable(vp[0])), readable(vp[1])
            else:
                v, p = None, None
            w = CWE_JA.get(cwe_of(it), "その他")
            if v:
                text = "%s 製 %s における%sの脆弱性。%s 製 %s には、%sの脆弱性が存在します。" % (v, p, w, v, p, w)
            else:
                text = "%sの脆弱性。%sの脆弱性が存在します。" % (w, w)
            it["cve"]["description"]["description_data"].append({"lang": "ja", "value": text})
            items.append(it)
        doc["CVE_Items"] = items
        doc["CVE_data_numberOfCVEs"] = str(len(items))
        with gzip.open(os.path.join(out, "scaled-" + name), "wt", encoding="utf-8", compresslevel=1) as f:
            json.dump(doc, f, ensure_ascii=False)
    print("scale.py: %d copies (%d named from the JVN product dictionary) in %s; with the %d real records: %d"
          % (made, named, out, REAL, made + REAL))


if __name__ == "__main__":
    main()
