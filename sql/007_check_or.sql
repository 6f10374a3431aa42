-- 007: faster writes. SQLite runs a CHECK of the form `column IN ('a','b','c')` (three values or
-- more) by building a temporary b-tree of the values every time a statement writes a row: four of
-- them for each missing episode inserted, one for each grading and clock. That was a quarter of the
-- time of a large police import. Each such CHECK is rewritten as the same test with OR
-- (`column = 'a' OR column = 'b' OR ...`), which SQLite evaluates in place; the rows allowed are
-- exactly the same, NULL included (a NULL column passes both forms). Only the schema's text changes
-- (no row is read or written), in the way SQLite documents for changing a CHECK constraint
-- (https://www.sqlite.org/lang_altertable.html, "making other kinds of table schema changes");
-- store.c then bumps the schema cookie so that every open connection reads the new text.
-- (The multi-line check on config_codes.list is left as it is: the list is written by
-- administrators, rarely.) tests/unit/test_store_schema.c checks that no hot insert builds one.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (role IN (''admin'',''manager'',''practitioner'',''analyst'',''police_intel'',''board''))',
  'CHECK (role = ''admin'' OR role = ''manager'' OR role = ''practitioner'' OR role = ''analyst'' OR role = ''police_intel'' OR role = ''board'')')
  WHERE type = 'table' AND name = 'users';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (limit_unit IN (''working_days'',''hours'',''days'',''months''))',
  'CHECK (limit_unit = ''working_days'' OR limit_unit = ''hours'' OR limit_unit = ''days'' OR limit_unit = ''months'')')
  WHERE type = 'table' AND name = 'practice_standards';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (subject_type IN (''person'',''peer_group'',''location''))',
  'CHECK (subject_type = ''person'' OR subject_type = ''peer_group'' OR subject_type = ''location'')')
  WHERE type = 'table' AND name = 'referrals';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (risk_level IN (''low'',''medium'',''high''))',
  'CHECK (risk_level = ''low'' OR risk_level = ''medium'' OR risk_level = ''high'')')
  WHERE type = 'table' AND name = 'cases';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (opening_risk IN (''low'',''medium'',''high''))',
  'CHECK (opening_risk = ''low'' OR opening_risk = ''medium'' OR opening_risk = ''high'')')
  WHERE type = 'table' AND name = 'cases';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (closure_risk IN (''low'',''medium'',''high''))',
  'CHECK (closure_risk = ''low'' OR closure_risk = ''medium'' OR closure_risk = ''high'')')
  WHERE type = 'table' AND name = 'cases';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (final_level IN (''low'',''medium'',''high''))',
  'CHECK (final_level = ''low'' OR final_level = ''medium'' OR final_level = ''high'')')
  WHERE type = 'table' AND name = 'assessments';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (status IN (''running'',''met'',''breached'',''cancelled''))',
  'CHECK (status = ''running'' OR status = ''met'' OR status = ''breached'' OR status = ''cancelled'')')
  WHERE type = 'table' AND name = 'clocks';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (missing_from IN (''home'',''care'',''education'',''other''))',
  'CHECK (missing_from = ''home'' OR missing_from = ''care'' OR missing_from = ''education'' OR missing_from = ''other'')')
  WHERE type = 'table' AND name = 'missing_episodes';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (out_of_area IN ('''',''placed_here'',''placed_elsewhere''))',
  'CHECK (out_of_area = '''' OR out_of_area = ''placed_here'' OR out_of_area = ''placed_elsewhere'')')
  WHERE type = 'table' AND name = 'missing_episodes';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (grade_latest IN (''none'',''low'',''medium'',''high''))',
  'CHECK (grade_latest = ''none'' OR grade_latest = ''low'' OR grade_latest = ''medium'' OR grade_latest = ''high'')')
  WHERE type = 'table' AND name = 'missing_episodes';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (grade_highest IN (''none'',''low'',''medium'',''high''))',
  'CHECK (grade_highest = ''none'' OR grade_highest = ''low'' OR grade_highest = ''medium'' OR grade_highest = ''high'')')
  WHERE type = 'table' AND name = 'missing_episodes';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (grade IN (''none'',''low'',''medium'',''high''))',
  'CHECK (grade = ''none'' OR grade = ''low'' OR grade = ''medium'' OR grade = ''high'')')
  WHERE type = 'table' AND name = 'missing_gradings';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (status IN (''pending'',''linked'',''created'',''dismissed''))',
  'CHECK (status = ''pending'' OR status = ''linked'' OR status = ''created'' OR status = ''dismissed'')')
  WHERE type = 'table' AND name = 'match_reviews';
PRAGMA writable_schema = OFF;
