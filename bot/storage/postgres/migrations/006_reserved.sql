-- 006: a placeholder on the languages branch only, so that 007 has no gap before
-- it. Migrations 004-006 are reserved for other branches (scale, operations,
-- performance); at the merge this file is deleted and theirs take the number.
SELECT 1;
