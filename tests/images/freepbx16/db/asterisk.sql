-- The part of FreePBX 16's `asterisk` database that the collection touches, with the values of
-- a fresh FreePBX install that allows SIP guests and anonymous calls. Fixture values only.
CREATE DATABASE IF NOT EXISTS asterisk;
USE asterisk;

-- Core/SIP Settings module, chan_sip settings ("Allow SIP Guests" is `allowguest`).
CREATE TABLE sipsettings (
  keyword VARCHAR(50) NOT NULL DEFAULT '',
  data VARCHAR(255) NOT NULL DEFAULT '',
  seq TINYINT(1),
  type TINYINT(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (keyword, seq, type)
);
INSERT INTO sipsettings (keyword, data, seq, type) VALUES
  ('allowguest', 'yes', 0, 0),
  ('bindport', '5160', 1, 0),
  ('tlsbindport', '5161', 1, 0);

-- SIP Settings module, general settings (its key-value store). "Allow Anonymous Inbound SIP
-- Calls" is `allowanon` (the dialplan's ALLOW_SIP_ANON); "Allow SIP Guests" is `allowguest` here
-- too, which core's PJSIP driver reads to write the `anonymous` endpoint into pjsip.endpoint.conf.
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
  ('udpport-0.0.0.0', '5060', NULL, 'noid');

CREATE USER 'freepbxuser'@'localhost' IDENTIFIED BY 'pbxsec-fixture-db';
GRANT ALL PRIVILEGES ON asterisk.* TO 'freepbxuser'@'localhost';

-- Firewall module ("Connectivity > Firewall"), enabled: its key-value store holds the status and
-- the zone of each network ("networkmaps", {"network": "zone"}); nothing is trusted yet. The
-- stand-in `fwconsole firewall` reads and writes it. Every kvstore table has the same columns.
CREATE TABLE kvstore_FreePBX_modules_Firewall LIKE kvstore_Sipsettings;
INSERT INTO kvstore_FreePBX_modules_Firewall (`key`, val, type, id) VALUES
  ('status', '1', NULL, 'noid'),
  ('networkmaps', '{}', 'json-arr', 'noid');
