# tests/t/myjvn-xsd.sh — sourced by t1200-*/t1210-* (through myjvn-lib.sh) and t5002: the official MyJVN XSDs
# (../shared/data/jvn-myjvn-api/schemas/hnd) made usable offline in $XSD:
#   $XSD/jvnrss_3.2.xsd  JVNRSS 3.2 (RSS 1.0 + sec:, with status:Status), as published
#   $XSD/vuldef.xsd      a wrapper importing vuldef_3.2, mod_sec_3.0, tlp_marking and
#                        status_3.3 (a VULDEF answer uses all four namespaces;
#                        vuldef_3.2.xsd alone cannot resolve the TLP marking type)
#   $XSD/results.xsd     results_3.3.xsd without its references to the XCCDF,
#                        CPE dictionary and OVAL schemas, which MyJVN does not
#                        publish beside it (answers of other methods than ours)
# validate FILE XSDNAME — xmllint --noout --schema; prints xmllint's errors on failure.
XSD=$TMP/xsd
mkdir -p "$XSD"
cp "$KEIKAI_SHARED"/data/jvn-myjvn-api/schemas/hnd/*.xsd "$XSD/"
chmod u+w "$XSD"/*.xsd
sed -e '/schemaLocation="xccdf-1.1.4.xsd"/d' -e '/schemaLocation="cpe-dictionary_2.2.xsd"/d' \
	-e '/schemaLocation="oval-definitions-schema_5.8.xsd"/d' -e '/schemaLocation="windows-definitions-schema_5.8.xsd"/d' \
	-e '/schemaLocation="cvrf_1.1.xsd"/d' -e '/schemaLocation="jvndefinitions_0.2.xsd"/d' \
	-e '/schemaLocation="jvnmetadata_0.3.xsd"/d' \
	-e '/ref="cdf:Benchmark"/d' -e '/ref="cpe-dist:cpe-list"/d' -e '/ref="oval-def:oval_definitions"/d' \
	"$XSD/results_3.3.xsd" >"$XSD/results.xsd"
cat >"$XSD/vuldef.xsd" <<'XSDEOF'
<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="http://jvn.jp/vuldef/" schemaLocation="vuldef_3.2.xsd"/>
  <xs:import namespace="http://jvn.jp/rss/mod_sec/3.0/" schemaLocation="mod_sec_3.0.xsd"/>
  <xs:import namespace="http://data-marking.mitre.org/extensions/MarkingStructure#TLP-1" schemaLocation="tlp_marking.xsd"/>
  <xs:import namespace="http://jvndb.jvn.jp/myjvn/Status" schemaLocation="status_3.3.xsd"/>
</xs:schema>
XSDEOF
#   $XSD/atom.xsd is the official Atom 1.0 schema of that directory; $XSD/atomw.xsd
#                        imports it with the local xml.xsd (libxml2 needs the xml:
#                        namespace imported first for xml:lang on atom:feed)
sed 's|schemaLocation="http://www.w3.org/2001/xml.xsd"|schemaLocation="xml.xsd"|' "$XSD/atom.xsd" >"$XSD/atom-local.xsd"
cat >"$XSD/atomw.xsd" <<'XSDEOF'
<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="http://www.w3.org/XML/1998/namespace" schemaLocation="xml.xsd"/>
  <xs:import namespace="http://www.w3.org/2005/Atom" schemaLocation="atom-local.xsd"/>
</xs:schema>
XSDEOF
#   $XSD/alert.xsd       Atom with mod_sec (sec:items) and status: getAlertList answers (the official
#                        example itself fails it: its sec:cpe lack the version and vendor mod_sec requires)
cat >"$XSD/alert.xsd" <<'XSDEOF'
<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="http://www.w3.org/XML/1998/namespace" schemaLocation="xml.xsd"/>
  <xs:import namespace="http://www.w3.org/2005/Atom" schemaLocation="atom-local.xsd"/>
  <xs:import namespace="http://jvn.jp/rss/mod_sec/3.0/" schemaLocation="mod_sec_3.0.xsd"/>
  <xs:import namespace="http://data-marking.mitre.org/extensions/MarkingStructure#TLP-1" schemaLocation="tlp_marking.xsd"/>
  <xs:import namespace="http://jvndb.jvn.jp/myjvn/Status" schemaLocation="status_3.3.xsd"/>
</xs:schema>
XSDEOF
validate() {
	if xmllint --noout --nonet --schema "$XSD/$2" "$1" >"$TMP/xmllint.out" 2>&1; then
		return 0
	fi
	sed 's/^/#   /' "$TMP/xmllint.out" | head -20
	return 1
}

