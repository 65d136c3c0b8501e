WITH calendar AS (
  SELECT *
  FROM VALUES (0, DATE '2025-12-29', DATE '2026-01-04', DATE '2025-12-29', DATE '2026-01-04', DATE '2025-12-22', DATE '2025-12-28'),
         (1, DATE '2026-01-05', DATE '2026-01-11', DATE '2026-01-05', DATE '2026-01-11', DATE '2025-12-29', DATE '2026-01-04'),
         (2, DATE '2026-01-12', DATE '2026-01-18', DATE '2026-01-12', DATE '2026-01-18', DATE '2026-01-05', DATE '2026-01-11'),
         (3, DATE '2026-01-19', DATE '2026-01-25', DATE '2026-01-19', DATE '2026-01-25', DATE '2026-01-12', DATE '2026-01-18') AS c(p, period_start, period_end, lo_0, hi_0, lo_1, hi_1)
),
obs AS (
  SELECT `date`,
         `measure`,
         `value`,
         `unit` AS g_0,
         `channel` AS g_1
  FROM observations
  WHERE `measure` IN ('orders', 'visits')
),
groups AS (
  SELECT DISTINCT g_0,
         g_1
  FROM obs
  WHERE ((g_0 IS NOT NULL) AND (g_1 IS NOT NULL))
),
spans AS (
  SELECT p,
         0 AS leaf,
         'orders' AS measure,
         lo_0 AS lo,
         hi_0 AS hi
  FROM calendar
  WHERE (lo_0 IS NOT NULL)
  UNION ALL
  SELECT p,
         1 AS leaf,
         'visits' AS measure,
         lo_0 AS lo,
         hi_0 AS hi
  FROM calendar
  WHERE (lo_0 IS NOT NULL)
  UNION ALL
  SELECT p,
         2 AS leaf,
         'visits' AS measure,
         lo_1 AS lo,
         hi_1 AS hi
  FROM calendar
  WHERE (lo_1 IS NOT NULL)
),
hits AS (
  SELECT s.p,
         s.leaf,
         o.g_0,
         o.g_1,
         o.`date` AS d,
         o.`value` AS v
  FROM spans AS s
  JOIN obs AS o ON (((o.`measure` = s.measure) AND (o.`date` >= s.lo)) AND (o.`date` <= s.hi))
  WHERE ((o.`date` >= DATE '2025-12-22') AND (o.`date` <= DATE '2026-01-25'))
),
agg AS (
  SELECT p,
         g_0,
         g_1,
         CAST(count(CASE WHEN (leaf = 0) THEN 1 END) AS DOUBLE) AS n_0,
         sum(CASE WHEN (leaf = 0) THEN v END) AS s_0,
         sum(CASE WHEN (leaf = 0) THEN abs(v) END) AS m_0,
         CAST(count(CASE WHEN (leaf = 1) THEN 1 END) AS DOUBLE) AS n_1,
         sum(CASE WHEN (leaf = 1) THEN v END) AS s_1,
         sum(CASE WHEN (leaf = 1) THEN abs(v) END) AS m_1,
         CAST(count(CASE WHEN (leaf = 2) THEN 1 END) AS DOUBLE) AS n_2,
         sum(CASE WHEN (leaf = 2) THEN v END) AS s_2,
         sum(CASE WHEN (leaf = 2) THEN abs(v) END) AS m_2
  FROM hits
  GROUP BY p, g_0, g_1
),
cells AS (
  SELECT c.*,
         g.g_0,
         g.g_1,
         a.n_0,
         a.s_0,
         a.m_0,
         a.n_1,
         a.s_1,
         a.m_1,
         a.n_2,
         a.s_2,
         a.m_2
  FROM calendar AS c
  CROSS JOIN groups AS g
  LEFT JOIN agg AS a ON (((a.p = c.p) AND (a.g_0 = g.g_0)) AND (a.g_1 = g.g_1))
),
n0x AS (
  SELECT *,
         CASE WHEN (abs(coalesce(s_0, 0e0)) <= (1e-9 * coalesce(m_0, 0e0))) THEN 0e0 ELSE coalesce(s_0, 0e0) END AS x_0
  FROM cells
),
n0 AS (
  SELECT *,
         CASE WHEN (abs(x_0) > 1.7976931348623157e308) THEN concat('metric orders_sum overflows the range of numbers in ', CAST(lo_0 AS STRING), '..', CAST(hi_0 AS STRING)) END AS r_0,
         CASE WHEN (CASE WHEN (abs(x_0) > 1.7976931348623157e308) THEN concat('metric orders_sum overflows the range of numbers in ', CAST(lo_0 AS STRING), '..', CAST(hi_0 AS STRING)) END IS NULL) THEN CASE WHEN (x_0 = 0e0) THEN 0e0 ELSE x_0 END END AS v_0
  FROM n0x
),
n1x AS (
  SELECT *,
         CASE WHEN (abs((v_0 - 2e0)) <= (1e-9 * (abs(v_0) + abs(2e0)))) THEN 0e0 ELSE (v_0 - 2e0) END AS x_1
  FROM n0
),
n1 AS (
  SELECT *,
         r_0 AS r_1,
         CASE WHEN (r_0 IS NULL) THEN x_1 END AS v_1
  FROM n1x
),
n2x AS (
  SELECT *,
         ((-v_1) * 5e-1) AS x_2
  FROM n1
),
n2 AS (
  SELECT *,
         r_1 AS r_2,
         CASE WHEN (r_1 IS NULL) THEN x_2 END AS v_2
  FROM n2x
),
n3x AS (
  SELECT *,
         CASE WHEN (abs(coalesce(s_1, 0e0)) <= (1e-9 * coalesce(m_1, 0e0))) THEN 0e0 ELSE coalesce(s_1, 0e0) END AS x_3
  FROM n2
),
n3 AS (
  SELECT *,
         CASE WHEN (abs(x_3) > 1.7976931348623157e308) THEN concat('metric visits_sum overflows the range of numbers in ', CAST(lo_0 AS STRING), '..', CAST(hi_0 AS STRING)) END AS r_3,
         CASE WHEN (CASE WHEN (abs(x_3) > 1.7976931348623157e308) THEN concat('metric visits_sum overflows the range of numbers in ', CAST(lo_0 AS STRING), '..', CAST(hi_0 AS STRING)) END IS NULL) THEN CASE WHEN (x_3 = 0e0) THEN 0e0 ELSE x_3 END END AS v_3
  FROM n3x
),
n4x AS (
  SELECT *,
         CASE WHEN (abs(coalesce(s_2, 0e0)) <= (1e-9 * coalesce(m_2, 0e0))) THEN 0e0 ELSE coalesce(s_2, 0e0) END AS x_4
  FROM n3
),
n4 AS (
  SELECT *,
         CASE WHEN (abs(x_4) > 1.7976931348623157e308) THEN concat('metric visits_sum overflows the range of numbers in ', CAST(lo_1 AS STRING), '..', CAST(hi_1 AS STRING)) END AS r_4,
         CASE WHEN (CASE WHEN (abs(x_4) > 1.7976931348623157e308) THEN concat('metric visits_sum overflows the range of numbers in ', CAST(lo_1 AS STRING), '..', CAST(hi_1 AS STRING)) END IS NULL) THEN CASE WHEN (x_4 = 0e0) THEN 0e0 ELSE x_4 END END AS v_4
  FROM n4x
),
n5x AS (
  SELECT *,
         CASE WHEN (abs((v_3 - v_4)) <= (1e-9 * (abs(v_3) + abs(v_4)))) THEN 0e0 ELSE (v_3 - v_4) END AS x_5
  FROM n4
),
n5 AS (
  SELECT *,
         coalesce(r_3, r_4) AS r_5,
         CASE WHEN (coalesce(r_3, r_4) IS NULL) THEN x_5 END AS v_5
  FROM n5x
),
n6x AS (
  SELECT *,
         CASE WHEN (v_5 <> 0e0) THEN (v_2 / v_5) END AS x_6
  FROM n5
),
n6 AS (
  SELECT *,
         coalesce(r_2, r_5, CASE WHEN (v_5 = 0e0) THEN concat('division by zero in ', CAST(lo_0 AS STRING), '..', CAST(hi_0 AS STRING)) END) AS r_6,
         CASE WHEN (coalesce(r_2, r_5, CASE WHEN (v_5 = 0e0) THEN concat('division by zero in ', CAST(lo_0 AS STRING), '..', CAST(hi_0 AS STRING)) END) IS NULL) THEN x_6 END AS v_6
  FROM n6x
),
n7x AS (
  SELECT *,
         v_6 AS x_7
  FROM n6
),
n7 AS (
  SELECT *,
         coalesce(r_6, CASE WHEN (abs(x_7) > 1.7976931348623157e308) THEN concat('metric mixed overflows the range of numbers in ', CAST(lo_0 AS STRING), '..', CAST(hi_0 AS STRING)) END) AS r_7,
         CASE WHEN (coalesce(r_6, CASE WHEN (abs(x_7) > 1.7976931348623157e308) THEN concat('metric mixed overflows the range of numbers in ', CAST(lo_0 AS STRING), '..', CAST(hi_0 AS STRING)) END) IS NULL) THEN CASE WHEN (x_7 = 0e0) THEN 0e0 ELSE x_7 END END AS v_7
  FROM n7x
)
SELECT period_start,
       period_end,
       g_0 AS `unit`,
       g_1 AS `channel`,
       v_7 AS `value`,
       r_7 AS `undefined`
FROM n7
ORDER BY p, g_0, g_1
