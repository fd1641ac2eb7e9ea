#!/usr/bin/env bash
#
# The agentkit-sync demo: runs the sample AgentKit server and the sample app, edits a
# skill on the server and shows the app picking up the new version.
#
#   ./demo.sh                                  ports 8001 (server) and 8080 (app)
#   DEMO_SERVER_PORT=9001 DEMO_APP_PORT=9080 ./demo.sh
#
# Needs a JDK 17+ and curl. Builds the project with the Maven wrapper when the jars are
# missing or older than the sources. Works on a copy of samples/config in a temporary
# folder, which is removed at the end, as are both processes (also on Ctrl-C or failure).

set -euo pipefail

cd "$(dirname "$0")"

SERVER_PORT="${DEMO_SERVER_PORT:-8001}"
APP_PORT="${DEMO_APP_PORT:-8080}"
VERSION="0.1.0-SNAPSHOT"
SERVER_JAR="samples/agentkit-sync-sample-server/target/agentkit-sync-sample-server-${VERSION}.jar"
APP_JAR="samples/agentkit-sync-sample-app/target/agentkit-sync-sample-app-${VERSION}.jar"
START_TIMEOUT=90
CHANGE_TIMEOUT=20
EDITED_SKILL="summarize"

SERVER_URL="http://localhost:${SERVER_PORT}"
APP_URL="http://localhost:${APP_PORT}"
TMP_DIR=""
SERVER_PID=""
APP_PID=""

say() {
	printf '\n== %s\n' "$*"
}

fail() {
	printf '\nDemo failed: %s\n' "$*" >&2
	show_log "sample server" server.log
	show_log "sample app" app.log
	exit 1
}

show_log() {
	if [[ -n "${TMP_DIR}" && -s "${TMP_DIR}/$2" ]]; then
		printf -- '--- last lines of the %s log:\n' "$1" >&2
		tail -n 20 "${TMP_DIR}/$2" >&2
	fi
}

# Stop one process: SIGTERM lets Spring Boot shut down gracefully; SIGKILL after 15 s.
stop_process() {
	local name="$1" pid="$2"
	if [[ -z "${pid}" ]] || ! kill -0 "${pid}" 2>/dev/null; then
		return 0
	fi
	kill -TERM "${pid}" 2>/dev/null || true
	for _ in $(seq 1 30); do
		kill -0 "${pid}" 2>/dev/null || break
		sleep 0.5
	done
	if kill -0 "${pid}" 2>/dev/null; then
		echo "The ${name} (pid ${pid}) did not stop within 15 s; killing it"
		kill -KILL "${pid}" 2>/dev/null || true
	fi
	wait "${pid}" 2>/dev/null || true
	echo "Stopped the ${name} (pid ${pid})"
}

cleanup() {
	# Finish the clean-up even when the output is gone (a closed pipe or terminal)
	trap '' PIPE HUP
	set +e
	stop_process "sample app" "${APP_PID}"
	APP_PID=""
	stop_process "sample server" "${SERVER_PID}"
	SERVER_PID=""
	if [[ -n "${TMP_DIR}" && -d "${TMP_DIR}" ]]; then
		rm -rf "${TMP_DIR}"
	fi
	TMP_DIR=""
}

trap cleanup EXIT
trap 'echo; echo "Interrupted"; exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
trap 'exit 141' PIPE

port_in_use() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# True when a jar is missing or any pom or main source is newer than it.
needs_build() {
	local jar
	for jar in "${SERVER_JAR}" "${APP_JAR}"; do
		[[ -f "${jar}" ]] || return 0
		if [[ -n "$(find pom.xml agentkit-sync-autoconfigure agentkit-sync-starter samples/agentkit-sync-sample-server \
			samples/agentkit-sync-sample-app -path '*/target' -prune -o \( -name pom.xml -o -path '*/src/main/*' \) \
			-type f -newer "${jar}" -print 2>/dev/null | head -n 1)" ]]; then
			return 0
		fi
	done
	return 1
}

# The agentkitSync component of the app's /actuator/health, as one line of JSON.
app_sync_health() {
	curl -s --max-time 3 "${APP_URL}/actuator/health" 2>/dev/null \
		| grep -oE '"agentkitSync":\{[^{}]*(\{[^{}]*\}[^{}]*)?\}' || true
}

# The first string value of a key in a line of JSON (enough for the flat values read here).
json_string() {
	sed -nE "s/.*\"$2\":\"([^\"]*)\".*/\1/p" <<<"$1" | head -n 1
}

server_version() {
	json_string "$(curl -s --max-time 3 "${SERVER_URL}/api/v1/config/version" 2>/dev/null || true)" version
}

app_version() {
	json_string "$(app_sync_health)" version
}

print_sync_health() {
	local component details status
	component="$(app_sync_health)"
	status="$(sed -nE 's/.*"status":"([A-Z_]+)".*/\1/p' <<<"${component}")"
	details="$(sed -nE 's/.*"details":\{([^{}]*)\}.*/\1/p' <<<"${component}")"
	echo "agentkitSync: ${status}"
	details="${details//,\"/$'\n'\"}"
	while IFS= read -r line; do
		printf '  %s\n' "$(sed -E 's/^"([^"]+)":"?([^"]*)"?$/\1: \2/' <<<"${line}")"
	done <<<"${details}"
}

skill_names() {
	curl -s --max-time 3 "${APP_URL}/skills" | grep -oE '"name":"[^"]*"' | sed -E 's/"name":"([^"]*)"/\1/' \
		| paste -sd ',' - | sed 's/,/, /g'
}

# Wait until "$2" succeeds, at most "$3" seconds, failing early when process "$4" died.
wait_for() {
	local name="$1" check="$2" timeout="$3" pid="$4" deadline=$((SECONDS + $3))
	until ${check}; do
		kill -0 "${pid}" 2>/dev/null || fail "the ${name} exited during startup"
		((SECONDS < deadline)) || fail "the ${name} was not ready within ${timeout} s"
		sleep 0.5
	done
}

server_ready() {
	[[ -n "$(server_version)" ]]
}

app_ready() {
	[[ "$(app_sync_health)" == *'"status":"UP"'* ]]
}

# Checks

command -v java >/dev/null 2>&1 || fail "java is not on the PATH; install a JDK 17 or later"
command -v curl >/dev/null 2>&1 || fail "curl is not on the PATH; install it (Debian/Ubuntu: apt-get install curl)"
for port in "${SERVER_PORT}" "${APP_PORT}"; do
	if port_in_use "${port}"; then
		fail "port ${port} is in use; stop what uses it, or choose others with DEMO_SERVER_PORT and DEMO_APP_PORT"
	fi
done

if needs_build; then
	say "Building the project (./mvnw -B -q -DskipTests install)"
	./mvnw -B -q -DskipTests install || fail "the build failed"
	# Maven leaves a jar untouched when its content is current; mark both as checked so that
	# an unchanged source with a new time (after a checkout) does not rebuild on every run
	touch "${SERVER_JAR}" "${APP_JAR}"
else
	say "The jars are up to date; not building"
fi

TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/agentkit-sync-demo.XXXXXX")"
cp -R samples/config "${TMP_DIR}/config"

say "Starting the sample server on port ${SERVER_PORT}, serving a copy of samples/config in ${TMP_DIR}/config"
java -jar "${SERVER_JAR}" --server.port="${SERVER_PORT}" --agentkit.server.config-dir="${TMP_DIR}/config" \
	>"${TMP_DIR}/server.log" 2>&1 &
SERVER_PID=$!

say "Starting the sample app on port ${APP_PORT}, polling every 2 s, cache in ${TMP_DIR}/cache.db"
java -jar "${APP_JAR}" --server.port="${APP_PORT}" --agentkit.sync.server-url="${SERVER_URL}" \
	--agentkit.sync.poll-interval=2s --agentkit.sync.cache-db-path="${TMP_DIR}/cache.db" \
	>"${TMP_DIR}/app.log" 2>&1 &
APP_PID=$!

wait_for "sample server" server_ready "${START_TIMEOUT}" "${SERVER_PID}"
echo "The sample server is up (pid ${SERVER_PID}), serving version $(server_version)"
wait_for "sample app" app_ready "${START_TIMEOUT}" "${APP_PID}"
echo "The sample app is up (pid ${APP_PID})"

say "GET ${APP_URL}/actuator/health (the agentkitSync component)"
print_sync_health

say "GET ${APP_URL}/skills"
echo "skills: $(skill_names)"

OLD_VERSION="$(app_version)"
OLD_MODEL="$(json_string "$(curl -s --max-time 3 "${APP_URL}/skills/${EDITED_SKILL}")" model)"
NEW_MODEL="gpt-4o"
SKILL_FILE="${TMP_DIR}/config/skills/${EDITED_SKILL}.json"

say "Editing skills/${EDITED_SKILL}.json on the server: model ${OLD_MODEL} -> ${NEW_MODEL}"
sed -E "s/\"model\": *\"[^\"]*\"/\"model\": \"${NEW_MODEL}\"/" "${SKILL_FILE}" >"${TMP_DIR}/edited.json"
mv "${TMP_DIR}/edited.json" "${SKILL_FILE}"
echo "The server now serves version $(server_version)"

deadline=$((SECONDS + CHANGE_TIMEOUT))
until [[ -n "$(app_version)" && "$(app_version)" != "${OLD_VERSION}" ]]; do
	((SECONDS < deadline)) || fail "the app did not pick up the new version within ${CHANGE_TIMEOUT} s"
	sleep 0.5
done
NEW_VERSION="$(app_version)"

say "The app picked up the change"
echo "old version: ${OLD_VERSION}"
echo "new version: ${NEW_VERSION}"
echo "GET /skills/${EDITED_SKILL}: model = $(json_string "$(curl -s --max-time 3 "${APP_URL}/skills/${EDITED_SKILL}")" model)"
echo "app log: $(grep -F 'ConfigChangeLogger' "${TMP_DIR}/app.log" | tail -n 1 | sed -E 's/.*ConfigChangeLogger *: //')"

say "Stopping"
cleanup
echo "Done."
