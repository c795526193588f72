# A real SMTP server on loopback for the relay's e-mail OTP tests: Python's standard smtpd
# (Debian's python3.11; no other SMTP server package is installed on this machine, see
# test/relay/otp/python-smtp-server.ts), extended by the few lines smtpd lacks: AUTH PLAIN and
# STARTTLS (on the asyncore channel smtpd runs on), and TLS from the start.
#
# Usage: smtp-server.py MODE [USER PASSWORD [CERT KEY]]; MODE is none, starttls or tls.
# Prints "READY <port>", then one JSON line per message accepted.
import asyncore
import base64
import json
import smtpd
import ssl
import sys


mode = sys.argv[1]
user = sys.argv[2] if len(sys.argv) > 2 else None
password = sys.argv[3] if len(sys.argv) > 3 else None
context = None
if len(sys.argv) > 5:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[4], sys.argv[5])


def secure(sock):
    sock.setblocking(True)
    wrapped = context.wrap_socket(sock, server_side=True)
    wrapped.setblocking(False)
    return wrapped


class Channel(smtpd.SMTPChannel):
    authenticated = None
    tls = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tls = mode == 'tls'

    def handle_error(self):
        # A client that gave up the TLS handshake (an untrusted certificate): drop the connection.
        self.close()

    def recv(self, size):
        try:
            return super().recv(size)
        except ssl.SSLWantReadError:
            return b''

    def smtp_EHLO(self, arg):
        if not arg:
            self.push('501 Syntax: EHLO hostname')
            return
        self._set_rset_state()
        self.seen_greeting = arg
        self.extended_smtp = True
        self.push('250-%s' % self.fqdn)
        if mode == 'starttls' and not self.tls:
            self.push('250-STARTTLS')
        if user is not None:
            self.push('250-AUTH PLAIN')
        self.push('250 HELP')

    def smtp_STARTTLS(self, arg):
        if mode != 'starttls' or self.tls:
            self.push('502 Error: command "STARTTLS" not implemented')
            return
        self.push('220 Ready to start TLS')
        while self.producer_fifo:
            self.initiate_send()
        self.del_channel()
        self.set_socket(secure(self.socket))
        self.tls = True
        self.seen_greeting = ''
        self.extended_smtp = False

    def smtp_AUTH(self, arg):
        mechanism, _, response = (arg or '').partition(' ')
        if mechanism.upper() != 'PLAIN' or not response:
            self.push('504 Unrecognized authentication type')
            return
        _, given_user, given_password = base64.b64decode(response).decode('utf-8').split('\0')
        if given_user != user or given_password != password:
            self.push('535 Authentication credentials invalid')
            return
        self.authenticated = given_user
        self.push('235 Authentication successful')

    def smtp_MAIL(self, arg):
        if mode == 'starttls' and not self.tls:
            self.push('530 Must issue a STARTTLS command first')
            return
        if user is not None and self.authenticated is None:
            self.push('530 Authentication required')
            return
        super().smtp_MAIL(arg)


class Server(smtpd.SMTPServer):
    channel_class = Channel

    def handle_error(self):
        # A connection that failed while being accepted (its client gave up): keep listening.
        pass

    def handle_accepted(self, conn, addr):
        if mode == 'tls':
            try:
                conn = secure(conn)
            except (ssl.SSLError, OSError):
                conn.close()
                return
        self.channel_class(self, conn, addr, self.data_size_limit, self._map, self.enable_SMTPUTF8, self._decode_data)

    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
        print(json.dumps({'from': mailfrom, 'to': rcpttos, 'data': data, 'tls': mode != 'none', 'user': user}), flush=True)


server = Server(('127.0.0.1', 0), None, decode_data=True)
print('READY %d' % server.socket.getsockname()[1], flush=True)
asyncore.loop()
