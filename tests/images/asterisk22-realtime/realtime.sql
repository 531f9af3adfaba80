-- PJSIP objects of the realtime site, held by res_config_sqlite3 (see tests/images/README.md).
-- Vulnerable on purpose: the configuration files never show them. No endpoint or contact
-- points anywhere but loopback (127.0.0.1:5999, where nothing listens); the trunk is
-- identified by a documentation address (TEST-NET-3), outside every provider network.
CREATE TABLE ps_endpoints (
    id TEXT PRIMARY KEY, transport TEXT, aors TEXT, auth TEXT, context TEXT,
    disallow TEXT, allow TEXT, identify_by TEXT, allow_subscribe TEXT
);
CREATE TABLE ps_auths (
    id TEXT PRIMARY KEY, auth_type TEXT, username TEXT, password TEXT
);
CREATE TABLE ps_aors (
    id TEXT PRIMARY KEY, max_contacts INTEGER, contact TEXT
);
CREATE TABLE ps_endpoint_id_ips (
    id TEXT PRIMARY KEY, endpoint TEXT, match TEXT
);

-- What FreePBX writes when anonymous inbound SIP calls are allowed, here in the database.
INSERT INTO ps_endpoints (id, transport, context, disallow, allow)
    VALUES ('anonymous', 'transport-udp', 'from-realtime-anon', 'all', 'ulaw,alaw');
-- A phone whose password is its extension.
INSERT INTO ps_endpoints (id, transport, aors, auth, context, disallow, allow)
    VALUES ('200', 'transport-udp', '200', '200', 'from-internal', 'all', 'ulaw,alaw');
INSERT INTO ps_auths (id, auth_type, username, password) VALUES ('200', 'userpass', '200', '200');
INSERT INTO ps_aors (id, max_contacts) VALUES ('200', 1);
-- A phone with a short dictionary password.
INSERT INTO ps_endpoints (id, transport, aors, auth, context, disallow, allow)
    VALUES ('201', 'transport-udp', '201', '201', 'from-internal', 'all', 'ulaw,alaw');
INSERT INTO ps_auths (id, auth_type, username, password) VALUES ('201', 'userpass', '201', 'letmein1');
INSERT INTO ps_aors (id, max_contacts) VALUES ('201', 1);
-- A trunk without inbound auth, identified by an address outside the provider networks.
INSERT INTO ps_endpoints (id, transport, aors, context, disallow, allow, identify_by)
    VALUES ('rt-trunk', 'transport-udp', 'rt-trunk', 'from-realtime-trunk', 'all', 'ulaw,alaw', 'ip');
INSERT INTO ps_aors (id, contact) VALUES ('rt-trunk', 'sip:127.0.0.1:5999');
INSERT INTO ps_endpoint_id_ips (id, endpoint, match) VALUES ('rt-trunk-identify', 'rt-trunk', '203.0.113.10');
