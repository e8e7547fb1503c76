-- 0022-text-lang: texts stored under a three-letter ISO 639-2 code before
-- language tags were read per RFC 5646 get the two-letter code the RFC
-- (section 4.1) and kk_vuln_lang (vulndb/record.h) now use, so a
-- language's texts are found under one name (ten CVE JSON 5 records say
-- "eng"). The same table as record.c's iso639_2to1.
UPDATE vuln_text SET lang = CASE lang
	WHEN 'eng' THEN 'en' WHEN 'jpn' THEN 'ja' WHEN 'deu' THEN 'de' WHEN 'ger' THEN 'de'
	WHEN 'spa' THEN 'es' WHEN 'epo' THEN 'eo' WHEN 'fra' THEN 'fr' WHEN 'fre' THEN 'fr' END
WHERE lang IN ('eng', 'jpn', 'deu', 'ger', 'spa', 'epo', 'fra', 'fre');
