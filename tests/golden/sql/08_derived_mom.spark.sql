WITH calendar AS (
  SELECT *
  FROM VALUES (0, DATE '2026-11-01', DATE '2026-11-30', DATE '2026-11-01', DATE '2026-11-30', DATE '2026-10-01', DATE '2026-10-31'),
         (1, DATE '2026-12-01', DATE '2026-12-31', DATE '2026-12-01', DATE '2026-12-31', DATE '2026-11-01', DATE '2026-11-30'),
         (2, DATE '2027-01-01', DATE '2027-01-31', DATE '2027-01-01', DATE '2027-01-31', DATE '2026-12-01', DATE '2026-12-31') AS c(p, period_start, period_end, lo_0, hi_0, lo_1, hi_1)
),
obs AS (
  SELECT `date`,
         `measure`,
         `value`
  FROM observations
  WHERE `measure` IN ('revenue')
),
spans AS (
  SELECT p,
         0 AS leaf,
         'revenue' AS measure,
         lo_0 AS lo,
         hi_0 AS hi
  FROM calendar
  WHERE (lo_0 IS NOT NULL)
  UNION ALL
  SELECT p,
         1 AS leaf,
         'revenue' AS measure,
         lo_1 AS lo,
         hi_1 AS hi
  FROM calendar
  WHERE (lo_1 IS NOT NULL)
),
hits AS (
  SELECT s.p,
         s.leaf,
         o.`date` AS d,
         o.`value` AS v
  FROM spans AS s
  JOIN obs AS o ON (((o.`measure` = s.measure) AND (o.`date` >= s.lo)) AND (o.`date` <= s.hi))
  WHERE ((o.`date` >= DATE '2026-10-01') AND (o.`date` <= DATE '2027-01-31'))
),
agg AS (
  SELECT p,
         CAST(count(CASE WHEN (leaf = 0) THEN 1 END) AS DOUBLE) AS n_0,
         sum(CASE WHEN (leaf = 0) THEN v END) AS s_0,
         sum(CASE WHEN (leaf = 0) THEN abs(v) END) AS m_0,
         CAST(count(CASE WHEN (leaf = 1) THEN 1 END) AS DOUBLE) AS n_1,
         sum(CASE WHEN (leaf = 1) THEN v END) AS s_1,
         sum(CASE WHEN (leaf = 1) THEN abs(v) END) AS m_1
  FROM hits
  GROUP BY p
),
cells AS (
  SELECT c.*,
         a.n_0,
         a.s_0,
         a.m_0,
         a.n_1,
         a.s_1,
         a.m_1
  FROM calendar AS c
  LEFT JOIN agg AS a ON (a.p = c.p)
),
n0x AS (
  SELECT *,
         CASE WHEN (abs(coalesce(s_0, 0e0)) <= (1e-9 * coalesce(m_0, 0e0))) THEN 0e0 ELSE coalesce(s_0, 0e0) END AS x_0
  FROM cells
),
n0 AS (
  SELECT *,
         CASE WHEN (abs(x_0) > 1.7976931348623157e308) THEN concat('metric revenue_sum overflows the range of numbers in ', CAST(lo_0 AS STRING), '..', CAST(hi_0 AS STRING)) END AS r_0,
         CASE WHEN (CASE WHEN (abs(x_0) > 1.7976931348623157e308) THEN concat('metric revenue_sum overflows the range of numbers in ', CAST(lo_0 AS STRING), '..', CAST(hi_0 AS STRING)) END IS NULL) THEN CASE WHEN (x_0 = 0e0) THEN 0e0 ELSE x_0 END END AS v_0
  FROM n0x
),
n1x AS (
  SELECT *,
         CASE WHEN (abs(coalesce(s_1, 0e0)) <= (1e-9 * coalesce(m_1, 0e0))) THEN 0e0 ELSE coalesce(s_1, 0e0) END AS x_1
  FROM n0
),
n1 AS (
  SELECT *,
         CASE WHEN (abs(x_1) > 1.7976931348623157e308) THEN concat('metric revenue_sum overflows the range of numbers in ', CAST(lo_1 AS STRING), '..', CAST(hi_1 AS STRING)) END AS r_1,
         CASE WHEN (CASE WHEN (abs(x_1) > 1.7976931348623157e308) THEN concat('metric revenue_sum overflows the range of numbers in ', CAST(lo_1 AS STRING), '..', CAST(hi_1 AS STRING)) END IS NULL) THEN CASE WHEN (x_1 = 0e0) THEN 0e0 ELSE x_1 END END AS v_1
  FROM n1x
),
n2x AS (
  SELECT *,
         CASE WHEN (v_1 <> 0e0) THEN (v_0 / v_1) END AS x_2
  FROM n1
),
n2 AS (
  SELECT *,
         coalesce(r_0, r_1, CASE WHEN (v_1 = 0e0) THEN concat('division by zero in ', CAST(lo_0 AS STRING), '..', CAST(hi_0 AS STRING)) END) AS r_2,
         CASE WHEN (coalesce(r_0, r_1, CASE WHEN (v_1 = 0e0) THEN concat('division by zero in ', CAST(lo_0 AS STRING), '..', CAST(hi_0 AS STRING)) END) IS NULL) THEN x_2 END AS v_2
  FROM n2x
),
n3x AS (
  SELECT *,
         CASE WHEN (abs((v_2 - 1e0)) <= (1e-9 * (abs(v_2) + abs(1e0)))) THEN 0e0 ELSE (v_2 - 1e0) END AS x_3
  FROM n2
),
n3 AS (
  SELECT *,
         r_2 AS r_3,
         CASE WHEN (r_2 IS NULL) THEN x_3 END AS v_3
  FROM n3x
),
n4x AS (
  SELECT *,
         v_3 AS x_4
  FROM n3
),
n4 AS (
  SELECT *,
         coalesce(r_3, CASE WHEN (abs(x_4) > 1.7976931348623157e308) THEN concat('metric revenue_mom overflows the range of numbers in ', CAST(lo_0 AS STRING), '..', CAST(hi_0 AS STRING)) END) AS r_4,
         CASE WHEN (coalesce(r_3, CASE WHEN (abs(x_4) > 1.7976931348623157e308) THEN concat('metric revenue_mom overflows the range of numbers in ', CAST(lo_0 AS STRING), '..', CAST(hi_0 AS STRING)) END) IS NULL) THEN CASE WHEN (x_4 = 0e0) THEN 0e0 ELSE x_4 END END AS v_4
  FROM n4x
)
SELECT period_start,
       period_end,
       v_4 AS `value`,
       r_4 AS `undefined`
FROM n4
ORDER BY p
