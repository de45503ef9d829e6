-- 006: no schema change. The number was held for a branch that, in the end,
-- needed none; the file keeps the numbering without a gap before 007.
SELECT 1;
