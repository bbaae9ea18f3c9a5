-- The products and keywords a link needs (产品关键词, joined by 、): with its industry they
-- decide which enterprises fit it as targets; empty, any enterprise of the industry does.
ALTER TABLE chain_nodes ADD COLUMN products TEXT NOT NULL DEFAULT '';
