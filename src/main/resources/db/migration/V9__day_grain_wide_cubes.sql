-- The wide cubes keep day buckets only (see Cube): their 15-minute and hourly rows go. The team cube keeps all
-- three grains (few rows: teams × buckets), which local-day trends in any time zone need.
DELETE FROM rollup_full WHERE grain <> 2;
DELETE FROM rollup_work WHERE grain <> 2;
