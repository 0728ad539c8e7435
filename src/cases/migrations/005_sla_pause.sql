-- abuse-desk case store, version 5: the SLA resolution clock pauses while a
-- case waits for the customer.

-- waiting_since: when the case last went to waiting_customer (NULL when it is
-- not waiting); paused_sec: the seconds it waited before, in all. Kept by a
-- trigger, so every way a status changes (a person, the customer's reply)
-- counts the same.
ALTER TABLE cases ADD COLUMN waiting_since timestamptz;
ALTER TABLE cases ADD COLUMN paused_sec integer;

CREATE FUNCTION cases_sla_pause() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'waiting_customer' AND OLD.status IS DISTINCT FROM 'waiting_customer' THEN
    NEW.waiting_since := now();
  ELSIF OLD.status = 'waiting_customer' AND NEW.status IS DISTINCT FROM 'waiting_customer' THEN
    NEW.paused_sec := COALESCE(OLD.paused_sec, 0) + GREATEST(0, floor(extract(epoch FROM now() - COALESCE(OLD.waiting_since, now()))))::integer;
    NEW.waiting_since := NULL;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER cases_sla_pause BEFORE UPDATE OF status ON cases
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION cases_sla_pause();
