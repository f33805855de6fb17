#!/usr/bin/env bash
# Creates or updates the DPS enrollment group whose devices the webhook allocates (docs/azure.md):
# symmetric-key attestation, custom allocation through the webhook, the DPS API version the webhook reads.
#
#   deploy/azure/enroll.sh --resource-group <rg> --dps <dps name> --enrollment-id <group id> \
#     --webhook-url 'https://<app>/api/validatejwt?code=<key>' --iot-hubs '<hub>.azure-devices.net [...]'
#
# Options may also come from the environment: RESOURCE_GROUP, DPS_NAME, ENROLLMENT_ID, WEBHOOK_URL, IOT_HUBS
# (space-separated host names of hubs linked to the DPS). --api-version (API_VERSION) defaults to 2021-10-01.
# Checks first that az is installed and logged in, that its azure-iot extension is there, and that no <...>
# placeholder is left; each failed check says what to do. Exit codes: 0 done, 1 a check or az failed, 2 usage.
set -euo pipefail

RESOURCE_GROUP=${RESOURCE_GROUP:-} DPS_NAME=${DPS_NAME:-} ENROLLMENT_ID=${ENROLLMENT_ID:-}
WEBHOOK_URL=${WEBHOOK_URL:-} IOT_HUBS=${IOT_HUBS:-} API_VERSION=${API_VERSION:-2021-10-01}
usage() { sed -n '5,6p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || { echo "enroll.sh: $1 needs a value" >&2; usage; }
  case "$1" in
    --resource-group) RESOURCE_GROUP=$2 ;;
    --dps) DPS_NAME=$2 ;;
    --enrollment-id) ENROLLMENT_ID=$2 ;;
    --webhook-url) WEBHOOK_URL=$2 ;;
    --iot-hubs) IOT_HUBS=$2 ;;
    --api-version) API_VERSION=$2 ;;
    *) echo "enroll.sh: unknown option $1" >&2; usage ;;
  esac
  shift 2
done

fail() { echo "enroll.sh: $*" >&2; exit 1; }
for pair in "--resource-group:$RESOURCE_GROUP" "--dps:$DPS_NAME" "--enrollment-id:$ENROLLMENT_ID" \
    "--webhook-url:$WEBHOOK_URL" "--iot-hubs:$IOT_HUBS"; do
  name=${pair%%:*} value=${pair#*:}
  [ -n "$value" ] || { echo "enroll.sh: $name is missing" >&2; usage; }
  case "$value" in
    *'<'*'>'*) fail "$name still holds a placeholder: ${value%%\?*}... (put the real value in)" ;;
  esac
done
case "$WEBHOOK_URL" in
  https://*) ;;
  *) fail "--webhook-url must be https:// (DPS calls only HTTPS webhooks): ${WEBHOOK_URL%%\?*}" ;;
esac
case "$WEBHOOK_URL" in
  *'?code='* | *'&code='*) ;;
  *) fail "--webhook-url has no ?code=<key>: DPS must present the function key (Functions) or a caller key" \
       "(ALLOCATOR_CALLER_KEYS, Container Apps), else every registration is refused with 401" ;;
esac

command -v az >/dev/null || fail "the Azure CLI (az) is not installed: https://learn.microsoft.com/cli/azure/install-azure-cli"
az account show --output none 2>/dev/null || fail "az is not logged in: run az login (and az account set --subscription <id>)"
az extension show --name azure-iot --output none 2>/dev/null \
  || fail "the azure-iot extension of az is missing: run az extension add --name azure-iot"
az iot dps show --name "$DPS_NAME" --resource-group "$RESOURCE_GROUP" --output none 2>/dev/null \
  || fail "no DPS named $DPS_NAME in resource group $RESOURCE_GROUP (or no access to it)"

# shellcheck disable=SC2086 # IOT_HUBS is a space-separated list: one argument per hub
if az iot dps enrollment-group show --dps-name "$DPS_NAME" --resource-group "$RESOURCE_GROUP" \
    --enrollment-id "$ENROLLMENT_ID" --output none 2>/dev/null; then
  action=updated
  az iot dps enrollment-group update --dps-name "$DPS_NAME" --resource-group "$RESOURCE_GROUP" \
    --enrollment-id "$ENROLLMENT_ID" --allocation-policy custom --webhook-url "$WEBHOOK_URL" \
    --api-version "$API_VERSION" --iot-hubs $IOT_HUBS --output none
else
  action=created
  az iot dps enrollment-group create --dps-name "$DPS_NAME" --resource-group "$RESOURCE_GROUP" \
    --enrollment-id "$ENROLLMENT_ID" --attestation-type symmetrickey --allocation-policy custom \
    --webhook-url "$WEBHOOK_URL" --api-version "$API_VERSION" --iot-hubs $IOT_HUBS --output none
fi
echo "enrollment group $ENROLLMENT_ID $action on $DPS_NAME: custom allocation through ${WEBHOOK_URL%%\?*} (API $API_VERSION)"
echo "each device's key: az iot dps enrollment-group compute-device-key --dps-name $DPS_NAME --resource-group $RESOURCE_GROUP --enrollment-id $ENROLLMENT_ID --registration-id <device id>"
