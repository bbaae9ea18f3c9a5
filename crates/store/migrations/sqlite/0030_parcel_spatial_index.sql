-- The nearest-first parcel search reads a box around a point. An R*Tree of the parcels'
-- positions answers it from the box alone (the (lat, lon) B-tree read a whole band of
-- latitudes across the province); triggers keep it equal to the parcels' positions.
CREATE VIRTUAL TABLE parcel_positions USING rtree(id, min_lon, max_lon, min_lat, max_lat);
INSERT INTO parcel_positions (id, min_lon, max_lon, min_lat, max_lat) SELECT id, lon, lon, lat, lat FROM parcels;
CREATE TRIGGER parcel_positions_insert AFTER INSERT ON parcels BEGIN
    INSERT INTO parcel_positions (id, min_lon, max_lon, min_lat, max_lat) VALUES (new.id, new.lon, new.lon, new.lat, new.lat);
END;
CREATE TRIGGER parcel_positions_update AFTER UPDATE OF lon, lat ON parcels BEGIN
    UPDATE parcel_positions SET min_lon = new.lon, max_lon = new.lon, min_lat = new.lat, max_lat = new.lat WHERE id = new.id;
END;
CREATE TRIGGER parcel_positions_delete AFTER DELETE ON parcels BEGIN
    DELETE FROM parcel_positions WHERE id = old.id;
END;
