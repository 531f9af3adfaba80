-- The part of FreePBX 17's `asterisk` database that the collection touches, with the values of
-- a FreePBX 17 install that allows SIP guests and anonymous calls. Fixture values only.
CREATE DATABASE IF NOT EXISTS asterisk;
USE asterisk;

-- Core/SIP Settings module, chan_sip-era settings table. FreePBX 17 keeps it (its SIP Settings
-- page saves "Allow SIP Guests" here too, seq 10), though Asterisk 22 has no chan_sip to read it.
CREATE TABLE sipsettings (
  keyword VARCHAR(50) NOT NULL DEFAULT '',
  data VARCHAR(255) NOT NULL DEFAULT '',
  seq TINYINT(1),
  type TINYINT(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (keyword, seq, type)
);
INSERT INTO sipsettings (keyword, data, seq, type) VALUES
  ('allowguest', 'yes', 10, 0);

-- SIP Settings module, general settings (its key-value store). "Allow Anonymous Inbound SIP
-- Calls" is `allowanon` (the dialplan's ALLOW_SIP_ANON); "Allow SIP Guests" is `allowguest`,
-- which core's PJSIP driver reads to write the `anonymous` endpoint into pjsip.endpoint.conf.
-- `binds` and `udpport-0.0.0.0` make the 0.0.0.0-udp transport on 5060; the identifier order
-- is the one the [global] section carries.
CREATE TABLE kvstore_Sipsettings (
  `key` CHAR(255) NOT NULL,
  val VARCHAR(4096),
  type CHAR(16),
  id CHAR(255),
  UNIQUE KEY uniqueindex (`key`(190), id(190))
);
INSERT INTO kvstore_Sipsettings (`key`, val, type, id) VALUES
  ('allowanon', 'Yes', NULL, 'noid'),
  ('allowguest', 'yes', NULL, 'noid'),
  ('binds', '{"udp":{"0.0.0.0":"on"}}', 'json-arr', 'noid'),
  ('udpport-0.0.0.0', '5060', NULL, 'noid'),
  ('pjsip_identifers_order', '["ip","username","anonymous","header","auth_username"]', 'json-arr', 'noid');

CREATE USER 'freepbxuser'@'localhost' IDENTIFIED BY 'pbxsec-fixture-db';
GRANT ALL PRIVILEGES ON asterisk.* TO 'freepbxuser'@'localhost';

-- Firewall module ("Connectivity > Firewall"), enabled, nothing trusted yet: the same key-value
-- store as on FreePBX 16, read and written by the stand-in `fwconsole firewall`.
CREATE TABLE kvstore_FreePBX_modules_Firewall LIKE kvstore_Sipsettings;
INSERT INTO kvstore_FreePBX_modules_Firewall (`key`, val, type, id) VALUES
  ('status', '1', NULL, 'noid'),
  ('networkmaps', '{}', 'json-arr', 'noid');
