-- 1,000,000 households and 3,000,000 persons of Hải Phòng with Vietnamese-like folded names, for the
-- name-search plans in docs/rules/households-and-persons.md. Run against a scratch registry database
-- migrated to head with the 2025 units seeded (see README.md). Takes about 2 minutes on 2 cores.
\timing on
SET maintenance_work_mem = '512MB';
-- Load without the indexes, then build them with the names the migration gives them.
ALTER TABLE household DROP CONSTRAINT fk_household_head_person_id_person;
DROP INDEX ix_person_name_words, ix_person_name_terms, ix_person_name_folded, ix_person_birth_year, ix_person_commune_code,
  ix_person_province_code, ix_person_household_id, uq_person_one_head_per_household;
ALTER TABLE person DROP CONSTRAINT uq_person_citizen_id_bidx;

CREATE TEMP TABLE communes AS
  SELECT code, row_number() OVER (ORDER BY code) - 1 AS i
  FROM admin_unit WHERE scheme = '2025' AND level = 'commune' AND parent_code = '31';
CREATE TEMP TABLE hh AS
  SELECT g AS n, uuidv7() AS id, (SELECT code FROM communes WHERE i = g % 114) AS commune
  FROM generate_series(0, 999999) g;
CREATE INDEX ON hh (n);
INSERT INTO household (id, address, residence_area, province_code, commune_code, version)
  SELECT id, 'Số ' || n, CASE WHEN n % 3 = 0 THEN 'rural' ELSE 'urban' END, '31', commune, 1 FROM hh;

-- Surnames weighted roughly as in Việt Nam (Nguyễn about a third), then a middle and a given name.
WITH s(a) AS (SELECT ARRAY[
  'nguyen','nguyen','nguyen','nguyen','nguyen','nguyen','nguyen','nguyen','nguyen','nguyen','nguyen',
  'nguyen','nguyen','nguyen','nguyen','nguyen','nguyen','nguyen','nguyen',
  'tran','tran','tran','tran','tran','tran','le','le','le','le','le','pham','pham','pham','pham',
  'hoang','hoang','hoang','huynh','huynh','phan','phan','vu','vu','vo','dang','bui','do','ho','ngo',
  'duong','ly','dao','dinh','mai','trinh','lam','luong','ta','cao','ha','luu','vuong','tong','quach',
  'khuc','phi']),
m(a) AS (SELECT ARRAY['van','thi','thi','van','duc','minh','huu','thanh','ngoc','quang','xuan','hoai',
  'kim','dinh','cong','bao','gia','thu','my','anh']),
g(a) AS (SELECT ARRAY['an','anh','binh','chi','cuong','dung','dat','duc','giang','ha','hai','hanh','hieu',
  'hoa','hoang','hung','huong','huy','khanh','khoa','lan','linh','long','mai','minh','nam','nga','ngoc',
  'nhung','phong','phuong','quan','quang','quynh','son','tam','tan','thang','thao','thu','thuy','tien',
  'trang','trung','tu','tuan','uyen','van','viet','vinh','yen','loan','hong','nhung','diep','khang',
  'thinh','bich','dao','hien'])
INSERT INTO person (id, household_id, relationship, full_name, name_folded, birth_year, gender,
                    citizen_id_bidx, province_code, commune_code, version)
SELECT uuidv7(), hh.id, CASE WHEN p % 3 = 0 THEN 'head' ELSE 'child' END, nm, nm,
       1930 + (hashint4(p) & 1023) % 95, CASE WHEN p % 2 = 0 THEN 'male' ELSE 'female' END,
       CASE WHEN p % 3 = 0 OR p % 5 <> 0 THEN md5(p::text) END, '31', hh.commune, 1
FROM generate_series(0, 2999999) p
JOIN hh ON hh.n = p / 3
CROSS JOIN s CROSS JOIN m CROSS JOIN g
CROSS JOIN LATERAL (
  SELECT s.a[1 + (hashint4(p * 7 + 1) & 65535) % array_length(s.a, 1)] || ' ' ||
         m.a[1 + (hashint4(p * 7 + 2) & 65535) % array_length(m.a, 1)] || ' ' ||
         g.a[1 + (hashint4(p * 7 + 3) & 65535) % array_length(g.a, 1)] AS nm) names;

ALTER TABLE person ADD CONSTRAINT uq_person_citizen_id_bidx UNIQUE (citizen_id_bidx);
CREATE INDEX ix_person_birth_year ON person (birth_year);
CREATE INDEX ix_person_commune_code ON person (commune_code);
CREATE INDEX ix_person_province_code ON person (province_code);
CREATE INDEX ix_person_household_id ON person (household_id);
CREATE UNIQUE INDEX uq_person_one_head_per_household ON person (household_id) WHERE relationship = 'head';
CREATE INDEX ix_person_name_folded ON person (name_folded, id);
CREATE INDEX ix_person_name_words ON person USING gin (name_words);
CREATE INDEX ix_person_name_terms ON person USING gin (name_terms);
VACUUM ANALYZE person;
VACUUM ANALYZE household;
SELECT count(*) AS persons FROM person;
