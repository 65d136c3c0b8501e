WITH calendar AS (
  SELECT *
  FROM VALUES (0, DATE '2026-01-01', DATE '2026-01-31', DATE '2026-01-01', DATE '2026-01-31'),
         (1, DATE '2026-02-01', DATE '2026-02-28', DATE '2026-02-01', DATE '2026-02-28') AS c(p, period_start, period_end, lo_0, hi_0)
),
obs AS (
  SELECT `date`,
         `measure`,
         `value`,
         `unit` AS g_0
  FROM observations
  WHERE (`measure` IN ('orders', 'visits') AND (`channel` = 'web'))
),
groups AS (
  SELECT DISTINCT g_0
  FROM obs
  WHERE (g_0 IS NOT NULL)
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
),
hits AS (
  SELECT s.p,
         s.leaf,
         o.g_0,
         o.`date` AS d,
         o.`value` AS v
  FROM spans AS s
  JOIN obs AS o ON (((o.`measure` = s.measure) AND (o.`date` >= s.lo)) AND (o.`date` <= s.hi))
  WHERE ((o.`date` >= DATE '2026-01-01') AND (o.`date` <= DATE '2026-02-28'))
),
agg AS (
  SELECT p,
         g_0,
         CAST(count(CASE WHEN (leaf = 0) THEN 1 END) AS DOUBLE) AS n_0,
         sum(CASE WHEN (leaf = 0) THEN v END) AS s_0,
         sum(CASE WHEN (leaf = 0) THEN abs(v) END) AS m_0,
         CAST(count(CASE WHEN (leaf = 1) THEN 1 END) AS DOUBLE) AS n_1,
         sum(CASE WHEN (leaf = 1) THEN v END) AS s_1,
         sum(CASE WHEN (leaf = 1) THEN abs(v) END) AS m_1
  FROM hits
  GROUP BY p, g_0
),
cells AS (
  SELECT c.*,
         g.g_0,
         a.n_0,
         a.s_0,
         a.m_0,
         a.n_1,
         a.s_1,
         a.m_1
  FROM calendar AS c
  CROSS JOIN groups AS g
  LEFT JOIN agg AS a ON ((a.p = c.p) AND (a.g_0 = g.g_0))
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
         CASE WHEN (abs(coalesce(s_1, 0e0)) <= (1e-9 * coalesce(m_1, 0e0))) THEN 0e0 ELSE coalesce(s_1, 0e0) END AS x_1
  FROM n0
),
n1 AS (
  SELECT *,
         CASE WHEN (abs(x_1) > 1.7976931348623157e308) THEN concat('metric visits_sum overflows the range of numbers in ', CAST(lo_0 AS STRING), '..', CAST(hi_0 AS STRING)) END AS r_1,
         CASE WHEN (CASE WHEN (abs(x_1) > 1.7976931348623157e308) THEN concat('metric visits_sum overflows the range of numbers in ', CAST(lo_0 AS STRING), '..', CAST(hi_0 AS STRING)) END IS NULL) THEN CASE WHEN (x_1 = 0e0) THEN 0e0 ELSE x_1 END END AS v_1
  FROM n1x
),
n2x AS (
  SELECT *,
         CASE WHEN (v_1 <> 0e0) THEN (v_0 / v_1) END AS x_2
  FROM n1
),
n2 AS (
  SELECT *,
         coalesce(r_0, r_1, CASE WHEN (v_1 = 0e0) THEN concat('denominator visits_sum is 0 in ', CAST(lo_0 AS STRING), '..', CAST(hi_0 AS STRING)) END, CASE WHEN (abs(x_2) > 1.7976931348623157e308) THEN concat('metric conversion overflows the range of numbers in ', CAST(lo_0 AS STRING), '..', CAST(hi_0 AS STRING)) END) AS r_2,
         CASE WHEN (coalesce(r_0, r_1, CASE WHEN (v_1 = 0e0) THEN concat('denominator visits_sum is 0 in ', CAST(lo_0 AS STRING), '..', CAST(hi_0 AS STRING)) END, CASE WHEN (abs(x_2) > 1.7976931348623157e308) THEN concat('metric conversion overflows the range of numbers in ', CAST(lo_0 AS STRING), '..', CAST(hi_0 AS STRING)) END) IS NULL) THEN CASE WHEN (x_2 = 0e0) THEN 0e0 ELSE x_2 END END AS v_2
  FROM n2x
)
SELECT period_start,
       period_end,
       g_0 AS `unit`,
       v_2 AS `value`,
       r_2 AS `undefined`
FROM n2
ORDER BY p, g_0
