-- The nearest-first parcel search reads a box around a point: a GiST index of the
-- parcels' positions answers it from the box alone (the (lat, lon) B-tree read a whole
-- band of latitudes across the province).
CREATE INDEX parcels_point ON parcels USING gist (point(lon, lat));
