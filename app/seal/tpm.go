package seal

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"sync"
	"time"

	"github.com/google/go-tpm/tpm2"
	"github.com/google/go-tpm/tpm2/transport"
	"github.com/google/go-tpm/tpm2/transport/linuxtpm"

	"childsupportkiosk/app/domain"
)

// DefaultTPM is the kernel's TPM resource manager, which lets more than one program use the
// TPM without flushing each other's objects.
const DefaultTPM = "/dev/tpmrm0"

// TPM is a KEK sealed to the kiosk's TPM 2.0 at device: the kernel's resource manager
// (DefaultTPM), another character device, or the Unix socket of a TPM emulator speaking raw
// TPM commands (swtpm's data channel, for tests).
//
// The KEK is 32 random bytes sealed in a keyed-hash object under the TPM's storage primary key
// (the TCG's ECC P-256 SRK template, made again from the owner hierarchy's seed at every use):
// the sealed object is fixedTPM and fixedParent, so only this TPM can load it, and the keyring
// file holds only its public and encrypted private parts. A copied data directory opens
// nothing on another machine. The object has an empty authValue and no PCR policy: the kiosk
// must start unattended, and a policy on the boot measurements would lock the kiosk out at its
// next firmware or kernel update. So a whole stolen kiosk still opens its cache at boot, as it
// does every morning; an office that wants more enrols with a passphrase.
func TPM(device string) KeySource { return tpmSource{device} }

type tpmSource struct{ device string }

// tpmHeader is the sealed KEK: TPM2B_PUBLIC and TPM2B_PRIVATE as the TPM returned them.
type tpmHeader struct {
	Parent  string `json:"parent"` // the parent's template: "owner/ecc-p256-srk"
	Public  []byte `json:"public"`
	Private []byte `json:"private"`
}

const tpmParent = "owner/ecc-p256-srk"

func (t tpmSource) kind() string { return KindTPM }

func (t tpmSource) shred() error { return nil }

func (t tpmSource) newKEK() ([]byte, kekHeader, error) {
	kek := make([]byte, KeySize)
	rand.Read(kek)
	h, err := t.withSRK(func(tpm transport.TPM, srk tpm2.AuthHandle) (*tpmHeader, error) {
		rsp, err := tpm2.Create{
			ParentHandle: srk,
			InSensitive: tpm2.TPM2BSensitiveCreate{Sensitive: &tpm2.TPMSSensitiveCreate{
				Data: tpm2.NewTPMUSensitiveCreate(&tpm2.TPM2BSensitiveData{Buffer: kek}),
			}},
			InPublic: tpm2.New2B(sealedTemplate),
		}.Execute(tpm)
		if err != nil {
			return nil, fmt.Errorf("seal: sealing the key to the TPM: %w", err)
		}
		return &tpmHeader{Parent: tpmParent, Public: tpm2.Marshal(rsp.OutPublic),
			Private: tpm2.Marshal(rsp.OutPrivate)}, nil
	})
	if err != nil {
		clear(kek)
		return nil, kekHeader{}, err
	}
	return kek, kekHeader{TPM: h}, nil
}

func (t tpmSource) kek(kh kekHeader) ([]byte, error) {
	h := kh.TPM
	if h == nil || h.Parent != tpmParent {
		return nil, fmt.Errorf("%w: the keyring holds no key sealed to a TPM", domain.ErrWrongKey)
	}
	pub, err := tpm2.Unmarshal[tpm2.TPM2BPublic](h.Public)
	if err != nil {
		return nil, fmt.Errorf("%w: the sealed key is damaged", domain.ErrWrongKey)
	}
	priv, err := tpm2.Unmarshal[tpm2.TPM2BPrivate](h.Private)
	if err != nil {
		return nil, fmt.Errorf("%w: the sealed key is damaged", domain.ErrWrongKey)
	}
	var kek []byte
	_, err = t.withSRK(func(tpm transport.TPM, srk tpm2.AuthHandle) (*tpmHeader, error) {
		loaded, err := tpm2.Load{ParentHandle: srk, InPrivate: *priv, InPublic: *pub}.Execute(tpm)
		if err != nil {
			// Another TPM (another machine, a cleared TPM): its storage key cannot open it.
			return nil, fmt.Errorf("%w: the key is sealed to another TPM (%w)", domain.ErrWrongKey, err)
		}
		defer tpm2.FlushContext{FlushHandle: loaded.ObjectHandle}.Execute(tpm)
		rsp, err := tpm2.Unseal{ItemHandle: tpm2.AuthHandle{Handle: loaded.ObjectHandle,
			Name: loaded.Name, Auth: tpm2.PasswordAuth(nil)}}.Execute(tpm)
		if err != nil {
			return nil, fmt.Errorf("%w: the TPM refused to unseal the key (%w)", domain.ErrWrongKey, err)
		}
		kek = rsp.OutData.Buffer
		return nil, nil
	})
	if err != nil {
		return nil, err
	}
	if len(kek) != KeySize {
		clear(kek)
		return nil, fmt.Errorf("%w: the TPM gave a key of the wrong size", domain.ErrWrongKey)
	}
	return kek, nil
}

// sealedTemplate is the sealed KEK: a keyed-hash object with data only the TPM that made it
// can load (fixedTPM, fixedParent), used with its empty authValue (userWithAuth), exempt from
// the TPM's dictionary-attack lockout (noDA: there is no secret to guess).
var sealedTemplate = tpm2.TPMTPublic{
	Type:    tpm2.TPMAlgKeyedHash,
	NameAlg: tpm2.TPMAlgSHA256,
	ObjectAttributes: tpm2.TPMAObject{
		FixedTPM:     true,
		FixedParent:  true,
		UserWithAuth: true,
		NoDA:         true,
	},
	Parameters: tpm2.NewTPMUPublicParms(tpm2.TPMAlgKeyedHash, &tpm2.TPMSKeyedHashParms{
		Scheme: tpm2.TPMTKeyedHashScheme{Scheme: tpm2.TPMAlgNull},
	}),
}

// withSRK opens the TPM, makes the storage primary key and runs f with it, then flushes the key
// and closes the TPM.
func (t tpmSource) withSRK(f func(transport.TPM, tpm2.AuthHandle) (*tpmHeader, error)) (*tpmHeader, error) {
	tpm, err := OpenTPM(t.device)
	if err != nil {
		return nil, fmt.Errorf("%w: no TPM at %s: %w", domain.ErrCacheLocked, t.device, err)
	}
	defer tpm.Close()
	srk, err := tpm2.CreatePrimary{
		PrimaryHandle: tpm2.TPMRHOwner,
		InPublic:      tpm2.New2B(tpm2.ECCSRKTemplate),
	}.Execute(tpm)
	if err != nil {
		return nil, fmt.Errorf("%w: the TPM's storage key: %w", domain.ErrCacheLocked, err)
	}
	defer tpm2.FlushContext{FlushHandle: srk.ObjectHandle}.Execute(tpm)
	return f(tpm, tpm2.AuthHandle{Handle: srk.ObjectHandle, Name: srk.Name, Auth: tpm2.PasswordAuth(nil)})
}

// OpenTPM opens the TPM at device: a character device such as /dev/tpmrm0, or the Unix socket
// of an emulator's data channel, which takes raw TPM commands on one connection.
func OpenTPM(device string) (transport.TPMCloser, error) {
	st, err := os.Stat(device)
	if err != nil {
		return nil, err
	}
	if st.Mode()&fs.ModeSocket == 0 {
		return linuxtpm.Open(device)
	}
	conn, err := net.DialTimeout("unix", device, 5*time.Second)
	if err != nil {
		return nil, err
	}
	return &socketTPM{conn: conn}, nil
}

// socketTPM sends one TPM command at a time over a stream and reads back the whole response,
// whose length is in its header.
type socketTPM struct {
	mu   sync.Mutex
	conn net.Conn
}

// tpmHeaderSize is the size of a TPM 2.0 response header: tag (2), size (4), code (4).
const tpmHeaderSize = 10

func (s *socketTPM) Send(cmd []byte) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conn.SetDeadline(time.Now().Add(time.Minute))
	if _, err := s.conn.Write(cmd); err != nil {
		return nil, err
	}
	head := make([]byte, tpmHeaderSize)
	if _, err := io.ReadFull(s.conn, head); err != nil {
		return nil, err
	}
	size := binary.BigEndian.Uint32(head[2:6])
	if size < tpmHeaderSize || size > 1<<20 {
		return nil, errors.New("seal: the TPM's answer has a bad size")
	}
	rsp := make([]byte, size)
	copy(rsp, head)
	if _, err := io.ReadFull(s.conn, rsp[tpmHeaderSize:]); err != nil {
		return nil, err
	}
	return rsp, nil
}

func (s *socketTPM) Close() error { return s.conn.Close() }
