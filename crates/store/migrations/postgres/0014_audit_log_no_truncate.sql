-- Row triggers do not see TRUNCATE: a statement trigger keeps the audit log
-- append-only against it too.
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
