-- entente.entrapment: methods for the entrapment area, installed on World by init.lua.
return function(entente, World)
end
