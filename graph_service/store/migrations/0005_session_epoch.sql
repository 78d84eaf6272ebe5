-- Logging out ends every session of the user: sessions carry the epoch they began in, and
-- logout moves it on, so a copied session cookie stops working.
ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;
