# tests/it/epoch.sh: the sandbox's default epoch is inside the validity of
# the TLS certificates programs check, and --epoch moves every clock.
# Sourced by tests/integration.sh, which has the helpers.

EP_PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)

# epoch_cert DIR: a self-signed certificate for localhost, valid from
# 2024-01-01 to 2030-01-01 whatever the host's clock says (openssl ca
# takes the dates; req -x509 would start at the host's now), and its key.
epoch_cert() {
	cat >"$1/ca.cnf" <<-'EOF'
	[ca]
	default_ca = run
	[run]
	database = index.txt
	serial = serial
	new_certs_dir = .
	default_md = sha256
	policy = any
	[any]
	commonName = supplied
	[leaf]
	basicConstraints = critical, CA:TRUE
	keyUsage = critical, digitalSignature, keyCertSign
	extendedKeyUsage = serverAuth
	subjectAltName = DNS:localhost
	EOF
	(cd "$1" && : >index.txt && echo 01 >serial &&
	    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
		-nodes -keyout key.pem -subj /CN=localhost -out req.pem &&
	    openssl ca -batch -config ca.cnf -selfsign -keyfile key.pem \
		-in req.pem -out cert.pem -notext -extensions leaf \
		-startdate 20240101000000Z -enddate 20300101000000Z) \
	    >"$1/cert.log" 2>&1
}

t_epoch_certificate() {	# HEAVY: a 2024-2030 certificate verifies at the default epoch
	command -v openssl >/dev/null || { skip "no openssl"; return; }
	local LIMIT=3
	epoch_cert "$W" || { fail "openssl could not make the certificate" \
	    "$(tail -n 5 "$W/cert.log")"; return; }
	# openssl's own chain check, at the sandbox's time
	run_as sb "$ISOTRACE" --sandbox -- \
	    openssl verify -CAfile cert.pem cert.pem
	expect_status sb 0
	expect_out sb 'cert.pem: OK'
	# the check does read the clock: before and after the window
	run_as old "$ISOTRACE" --sandbox --epoch 2000-01-01 -- \
	    openssl verify -CAfile cert.pem cert.pem
	expect_status old 2
	expect_grep old err 'certificate is not yet valid'
	run_as late "$ISOTRACE" --sandbox --epoch 2030-01-01T00:00:01 -- \
	    openssl verify -CAfile cert.pem cert.pem
	expect_status late 2
	expect_grep late err 'certificate has expired'
	# a whole TLS handshake, client and server in one python, as
	# CPython's test_ssl does with its own certificates
	[[ -n $EP_PY ]] || { PARTS+="${PARTS:+, }python's ssl"; return; }
	cat >"$W/tls.py" <<-'EOF'
	import socket, ssl, threading
	srv = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
	srv.load_cert_chain("cert.pem", "key.pem")
	cli = ssl.create_default_context(cafile="cert.pem")
	a, b = socket.socketpair()
	def serve():
	    try:
	        with srv.wrap_socket(a, server_side=True) as s:
	            s.sendall(s.recv(5).upper())
	    except OSError:
	        pass
	t = threading.Thread(target=serve)
	t.start()
	try:
	    with cli.wrap_socket(b, server_hostname="localhost") as c:
	        c.sendall(b"hello")
	        print("tls", c.recv(5).decode(), c.getpeercert()["notBefore"])
	except ssl.SSLCertVerificationError as e:
	    print("tls", e.verify_message)
	t.join()
	EOF
	run_as tls "$ISOTRACE" --sandbox -- "$EP_PY" tls.py
	expect_status tls 0
	expect_out tls 'tls HELLO Jan  1 00:00:00 2024 GMT'
	run_as tlsold "$ISOTRACE" --sandbox --epoch 2000-01-01 -- \
	    "$EP_PY" tls.py
	expect_out tlsold 'tls certificate is not yet valid'
}

t_epoch_forms() {		# HEAVY: --epoch takes seconds and dates; every clock follows
	local LIMIT=3 e f script='date +%s; cut -d" " -f1 /proc/uptime
grep ^btime /proc/stat; stat -c %Y /etc/hostname'
	run_as def "$ISOTRACE" --sandbox -- sh -c "$script"
	expect_out def "$EPOCH
100.00
btime $((EPOCH - 100))
$EPOCH"
	for f in 946684800 2000-01-01 2000-01-01T00:00:00; do
		run_as "e$f" "$ISOTRACE" --sandbox --epoch "$f" -- \
		    sh -c "$script"
		expect_out "e$f" $'946684800\n100.00\nbtime 946684700\n946684800'
	done
	e=$(date -u -d 2038-01-19T03:14:08 +%s)	# past 32-bit time_t
	run_as y2038 "$ISOTRACE" --sandbox --epoch 2038-01-19T03:14:08 -- \
	    sh -c "$script"
	expect_out y2038 "$e
100.00
btime $((e - 100))
$e"
}

TESTS+=(epoch_certificate epoch_forms)
