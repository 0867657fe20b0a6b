// Akka.Actor has its own Envelope (a mailbox item); in Entice, "envelope" always means the wire message.
global using Envelope = Entice.Wire.Envelope;
