"""Sign Wickr-shaped requests with the real botocore SigV4 signer and print them as they would go on the wire.

One JSON object per line: {name, method, path, query, headers: {name: [values]}, body (base64), timestamp,
region, accessKeyId}. The signing time is pinned so the Java side can fix its clock to it.

Two sources, because they canonicalize differently on the client side:
  * botocore.auth.SigV4Auth on hand-built AWSRequests (the brief's reference point), with the URL built the
    way botocore's own serializer builds it (percent_encode_sequence for the query, quote for path labels);
  * the real 'wickr' client from botocore's service model, with a before-send hook that captures the
    prepared request and aborts before any network I/O.

Exits non-zero if botocore cannot be imported, so the Java test fails instead of silently skipping.
"""
import base64
import datetime
import json
import sys
from urllib.parse import quote, urlsplit

import botocore
import botocore.auth
import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.utils import percent_encode_sequence

FIXED = datetime.datetime(2026, 11, 28, 12, 0, 0, tzinfo=datetime.timezone.utc)
TIMESTAMP = FIXED.strftime('%Y%m%dT%H%M%SZ')

# botocore.auth reads "now" through this module-level name (botocore >= 1.33); pinning it pins the signature.
botocore.auth.get_current_datetime = lambda *args, **kwargs: FIXED.replace(tzinfo=None)

TEST = Credentials('test', 'test')
SESSION = Credentials('ASIATESTSESSION', 'session-secret', 'FwoGZXIvYXdzEBYaDH+token/with=chars')


def emit(name, request, region, access_key):
    parts = urlsplit(request.url)
    headers = {}
    for key, value in request.headers.items():
        v = value.decode('utf-8') if isinstance(value, bytes) else str(value)
        headers.setdefault(key.lower(), []).append(v)
    if 'host' not in headers:
        # urllib3 adds Host from the URL when sending; botocore signs the same value.
        headers['host'] = [botocore.auth._host_from_url(request.url)]
    body = request.body
    if body is None:
        body = b''
    elif isinstance(body, str):
        body = body.encode('utf-8')
    elif hasattr(body, 'read'):
        body = body.read()
    print(json.dumps({
        'name': name,
        'method': request.method,
        'path': parts.path,
        'query': parts.query,
        'headers': headers,
        'body': base64.b64encode(body).decode('ascii'),
        'timestamp': TIMESTAMP,
        'region': region,
        'accessKeyId': access_key,
    }))


def sign_direct(name, method, path, params=None, headers=None, body=b'', region='us-east-1',
                creds=TEST, host='admin.wickr.us-east-1.amazonaws.com', scheme='https', context=None):
    url = f'{scheme}://{host}{path}'
    if params:
        url += '?' + percent_encode_sequence(params)
    request = AWSRequest(method=method, url=url, headers=dict(headers or {}), data=body)
    if context:
        request.context.update(context)
    SigV4Auth(creds, 'wickr', region).add_auth(request)
    emit('direct/' + name, request, region, creds.access_key)


def label(value):
    # What botocore's rest serializer does to a non-greedy path label.
    return quote(value, safe='')


def direct_vectors():
    body = json.dumps({'userIds': ['u-1', 'u-2']}).encode()
    sign_direct('toggle-suspend', 'PATCH', '/networks/12345678/users/toggleSuspend',
                params=[('suspend', 'true')],
                headers={'Content-Type': 'application/json', 'X-Client-Token': 'tok-0001'}, body=body)
    sign_direct('list-users-awkward-query', 'GET', '/networks/12345678/users',
                params=[('firstName', 'Ann Marie'), ('lastName', 'O+Brien/Smith'), ('username', 'jürgen@例え.jp'),
                        ('sortFields', 'a~b*c'), ('nextToken', 'abc==/+x'), ('maxResults', '10')])
    sign_direct('repeated-query-key', 'GET', '/networks/12345678/users',
                params=[('status', '2'), ('groupId', 'b'), ('status', '1')])
    sign_direct('label-needs-encoding', 'GET',
                '/networks/12345678/security-groups/' + label('grp one/ä+x%') + '/users')
    sign_direct('eu-west-2', 'GET', '/networks/12345678', region='eu-west-2',
                host='admin.wickr.eu-west-2.amazonaws.com')
    sign_direct('session-token', 'POST', '/networks', headers={'Content-Type': 'application/json'},
                body=b'{"networkName":"n","accessLevel":"STANDARD"}', creds=SESSION)
    sign_direct('date-header-instead-of-x-amz-date', 'GET', '/networks',
                headers={'Date': 'Mon, 01 Jan 2001 00:00:00 GMT'})
    sign_direct('header-whitespace', 'PATCH', '/networks/12345678/bots/b1',
                headers={'Content-Type': 'application/json', 'X-Client-Token': '  spaced    out   token '},
                body=b'{"displayName":"x"}')
    sign_direct('unsigned-payload', 'PATCH', '/networks/12345678/settings',
                headers={'Content-Type': 'application/json'}, body=b'{"settings":{}}',
                context={'payload_signing_enabled': False})
    sign_direct('empty-body-delete', 'DELETE', '/networks/12345678/bots/b%C3%A9t')


class Captured(Exception):
    pass


def client_vectors():
    session = botocore.session.get_session()
    captured = []

    def capture(request, **kwargs):
        captured.append(request)
        raise Captured()

    for region in ('us-east-1', 'eu-west-2'):
        client = session.create_client('wickr', region_name=region, aws_access_key_id='test',
                                       aws_secret_access_key='test')
        client.meta.events.register('before-send', capture)
        calls = [
            ('BatchToggleUserSuspendStatus', dict(networkId='12345678', suspend=True, userIds=['u-1'],
                                                  clientToken='tok-0002')),
            ('ListUsers', dict(networkId='12345678', firstName='Ann Marie', lastName='O+Brien/Smith',
                               username='jürgen@例え.jp', maxResults=5)),
            ('GetSecurityGroup', dict(networkId='12345678', groupId='grp one/ä+x%')),
            ('UpdateGuestUser', dict(networkId='12345678', usernameHash='h a/s~h', block=True)),
            ('CreateNetwork', dict(networkName='net', accessLevel='STANDARD')),
        ]
        for operation, kwargs in calls:
            method = getattr(client, botocore.xform_name(operation))
            try:
                method(**kwargs)
            except Captured:
                pass
            emit(f'client/{region}/{operation}', captured.pop(), region, 'test')


if __name__ == '__main__':
    print(f'# botocore {botocore.__version__}', file=sys.stderr)
    direct_vectors()
    client_vectors()
